import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m001 from './001-foundation.js';
import * as m005 from './005-fax.js';
import * as m006 from './006-policy.js';
import * as m008 from './008-routing.js';
import * as m007 from './007-phones.js';
import * as m010 from './010-blf.js';
import * as m009 from './009-cdr.js';
import * as m011 from './011-push.js';
import * as m012 from './012-usage.js';
import * as m013 from './013-fax-transmission.js';
import * as m014 from './014-conference.js';
import * as m015 from './015-event-outbox.js';
import * as m016 from './016-call-api.js';
import * as m017 from './017-mwi.js';

/** Migrations are listed in code so they ship with the package and run identically on PGlite and PostgreSQL. */
const migrations: Record<string, Migration> = {
  '001-foundation': m001,
  '005-fax': m005,
  '006-policy': m006,
  '008-routing': m008,
  '007-phones': m007,
  '010-blf': m010,
  '009-cdr': m009,
  '011-push': m011,
  '012-usage': m012,
  '013-fax-transmission': m013,
  '014-conference': m014,
  '015-event-outbox': m015,
  '016-call-api': m016,
  '017-mwi': m017,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
