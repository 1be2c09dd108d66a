import { sql } from 'kysely';
import { ServiceError } from '../errors/index.js';
import type { Db } from '../store/db.js';
import type { AccountBinding, RegistrationStore } from '../store/redis/registrations.js';

/** One user as `callplane admin user list` shows it. */
export interface AdminUserEntry {
  uuid: string;
  username: string;
  email: string | null;
  /** The partner's name (spec 3.1 `partner`), null for a user without one. */
  partner: string | null;
  area_code: string | null;
  disabled: boolean;
  /** ms since epoch. */
  created: number;
}

/**
 * A number of the platform: `free` in an area's pool (spec 3.9 `create`
 * takes from it), `reserved` by a user until its unlock code is keyed in,
 * `active` once unlocked (or made active by a partner, spec 9.1.2).
 */
export interface AdminNumberEntry {
  number: string;
  state: 'free' | 'reserved' | 'active';
  area_code: string | null;
  user: string | null;
  username: string | null;
  partner: string | null;
}

/** One registration (binding) as `callplane admin registrations` shows it. */
export interface AdminRegistrationEntry {
  /** The SIP account (spec 3.21 `user`) and domain. */
  account: string;
  domain: string;
  user: string;
  /** The Contact URI and the `ip:port` it registered from (spec 3.21 `contact`). */
  contact: string;
  source: string;
  transport: 'udp' | 'tcp';
  /** Absolute expiry in seconds since epoch (spec 3.21 `expire`). */
  expire: number;
  user_agent: string | null;
}

export interface ListWindow {
  limit?: number;
  offset?: number;
}

const MAX_LIMIT = 10_000;

function window(w: ListWindow): { limit: number; offset: number } {
  const limit = w.limit ?? 1000;
  const offset = w.offset ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new ServiceError('wrong-syntax', `limit must be 1...${MAX_LIMIT}`);
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new ServiceError('wrong-syntax', 'offset must be 0 or more');
  return { limit, offset };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The operator's read-only views across all users (not a spec surface: the
 * admin CLI and the admin API under ADMIN_KEY). Registrations come from the
 * shared location service in Redis, so they are those of every node.
 */
export class AdminQueries {
  constructor(
    private readonly db: Db,
    private readonly registrations: RegistrationStore,
  ) {}

  async users(opts: ListWindow & { partner?: string } = {}): Promise<AdminUserEntry[]> {
    const { limit, offset } = window(opts);
    let q = this.db
      .selectFrom('users')
      .leftJoin('partners', 'partners.id', 'users.partner_id')
      .select([
        'users.uuid',
        'users.username',
        'users.email',
        'users.area_code',
        'users.area_override',
        'users.disabled',
        'users.created_us',
        'partners.name as partner',
      ])
      .where('users.deleted', '=', false);
    if (opts.partner !== undefined) {
      const partner = await this.db
        .selectFrom('partners')
        .select('id')
        .where('name', '=', opts.partner)
        .executeTakeFirst();
      if (!partner) throw new ServiceError('wrong-partner', `partner '${opts.partner}' does not exist`);
      q = q.where('users.partner_id', '=', partner.id);
    }
    const rows = await q.orderBy('users.username').limit(limit).offset(offset).execute();
    return rows.map((r) => ({
      uuid: r.uuid,
      username: r.username,
      email: r.email,
      partner: r.partner,
      // The area the user draws numbers from: set by an operator, else from the address.
      area_code: r.area_override ?? r.area_code,
      disabled: r.disabled,
      created: Math.floor(Number(r.created_us) / 1000),
    }));
  }

  async numbers(
    opts: ListWindow & { area?: string; state?: AdminNumberEntry['state'] } = {},
  ): Promise<AdminNumberEntry[]> {
    const { limit, offset } = window(opts);
    const out: AdminNumberEntry[] = [];
    if (opts.state === undefined || opts.state !== 'free') {
      let q = this.db
        .selectFrom('phones')
        .innerJoin('users', 'users.uuid', 'phones.user_uuid')
        .leftJoin('partners', 'partners.id', 'phones.partner_id')
        .select([
          'phones.number',
          'phones.unlock_code',
          'phones.user_uuid',
          'users.username',
          'users.area_code',
          'users.area_override',
          'partners.name as partner',
        ]);
      if (opts.area !== undefined)
        q = q.where((eb) => eb.fn.coalesce('users.area_override', 'users.area_code'), '=', opts.area);
      if (opts.state === 'reserved') q = q.where('phones.unlock_code', 'is not', null);
      if (opts.state === 'active') q = q.where('phones.unlock_code', 'is', null);
      for (const r of await q.execute()) {
        out.push({
          number: r.number,
          state: r.unlock_code === null ? 'active' : 'reserved',
          area_code: r.area_override ?? r.area_code,
          user: r.user_uuid,
          username: r.username,
          partner: r.partner,
        });
      }
    }
    if (opts.state === undefined || opts.state === 'free') {
      let q = this.db.selectFrom('number_pool').select(['number', 'area_code']);
      if (opts.area !== undefined) q = q.where('area_code', '=', opts.area);
      for (const r of await q.execute()) {
        out.push({
          number: r.number,
          state: 'free',
          area_code: r.area_code,
          user: null,
          username: null,
          partner: null,
        });
      }
    }
    out.sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
    return out.slice(offset, offset + limit);
  }

  /** Live registrations of every account, or of one user's accounts (username, e-mail or UUID). */
  async registrationList(opts: { user?: string } = {}): Promise<AdminRegistrationEntry[]> {
    let bindings: AccountBinding[];
    if (opts.user === undefined) {
      bindings = await this.registrations.list();
    } else {
      const user = await this.findUser(opts.user);
      const accounts = await this.db
        .selectFrom('sip_accounts')
        .select('name')
        .where('owner', '=', user)
        .execute();
      bindings = await this.registrations.list(accounts.map((a) => a.name));
    }
    return bindings.map((b) => ({
      account: b.account,
      domain: b.domain,
      user: b.owner,
      contact: b.contact,
      source: b.source,
      transport: b.transport,
      expire: Math.floor(b.expiresAt / 1000),
      user_agent: b.userAgent ?? null,
    }));
  }

  /** A user's UUID from a username, an e-mail address or the UUID itself. */
  async findUser(login: string): Promise<string> {
    let q = this.db.selectFrom('users').select('uuid').where('deleted', '=', false);
    if (UUID.test(login)) q = q.where('uuid', '=', login.toLowerCase());
    else if (login.includes('@')) q = q.where(sql`lower(email)`, '=', login.toLowerCase());
    else q = q.where(sql`lower(username)`, '=', login.toLowerCase());
    const row = await q.executeTakeFirst();
    if (!row) throw new ServiceError('wrong-user', `user '${login}' does not exist`);
    return row.uuid;
  }
}
