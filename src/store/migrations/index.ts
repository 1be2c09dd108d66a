import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m001 from './001-foundation.js';

/** Migrations are listed in code so they ship with the package and run identically on PGlite and PostgreSQL. */
const migrations: Record<string, Migration> = {
  '001-foundation': m001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
