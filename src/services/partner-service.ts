import { ServiceError } from '../errors/index.js';
import { newId, randomToken, uuidV1Micros } from '../lib/ids.js';
import { hashToken, tokensEqual } from '../lib/passwords.js';
import type { Db } from '../store/db.js';

export interface PartnerRow {
  id: string;
  name: string;
}

/** Partners: created by the admin CLI, authenticate with name + key (spec 3.1). */
export class PartnerService {
  constructor(private readonly db: Db) {}

  /** Creates a partner; the key is returned once and only its hash is stored. */
  async create(name: string): Promise<{ partner: string; key: string }> {
    if (!/^[a-zA-Z0-9]{2,20}$/.test(name)) {
      throw new ServiceError('wrong-syntax', 'partner names are 2-20 letters or digits');
    }
    const existing = await this.db
      .selectFrom('partners')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirst();
    if (existing) throw new ServiceError('already-exist', `partner '${name}' already exists`);
    const key = randomToken(32);
    const id = newId();
    await this.db
      .insertInto('partners')
      .values({ id, name, key_hash: hashToken(key), created_us: uuidV1Micros(id) ?? Date.now() * 1000 })
      .execute();
    return { partner: name, key };
  }

  async byName(name: string): Promise<PartnerRow | undefined> {
    return this.db.selectFrom('partners').select(['id', 'name']).where('name', '=', name).executeTakeFirst();
  }

  async authenticate(name: string, key: string): Promise<PartnerRow> {
    const p = await this.db
      .selectFrom('partners')
      .select(['id', 'name', 'key_hash'])
      .where('name', '=', name)
      .executeTakeFirst();
    if (!p || !tokensEqual(p.key_hash, hashToken(key))) {
      throw new ServiceError('wrong-credentials', 'partner name and/or key is wrong');
    }
    return { id: p.id, name: p.name };
  }
}
