import { createHash } from 'node:crypto';
import { ServiceError } from '../errors/index.js';
import type { Config } from '../config/index.js';
import type { EventOutbox } from '../events/outbox.js';
import { hashPassword } from '../lib/passwords.js';
import { SecretBox } from '../lib/secret-box.js';
import type { Db } from '../store/db.js';
import type { Binding, RegistrationStore } from '../store/redis/registrations.js';

/** The account name format of spec 3.21 / 4.1 targets. */
export const SIP_NAME = /^[a-z0-9]{2,20}_[0-9]{2}$/;

export interface SipAccountInput {
  password?: string | undefined;
  description?: string | undefined;
  domain?: string | undefined;
}

export interface SipAccountView {
  domain: string;
  password: string;
  description?: string;
  /** `ip:port` of the newest active registration (spec 3.21). */
  contact?: string;
  /** Its expiry, seconds since epoch. */
  expire?: number;
}

type Ha1 = Record<string, { md5: string; sha256: string }>;

const hex = (algo: 'md5' | 'sha256', text: string): string => createHash(algo).update(text).digest('hex');

/**
 * Digest HA1 = H(user:realm:password) (RFC 2617 / RFC 8760) for every
 * configured domain, so a later domain change keeps a usable credential
 * without the plain password ever being stored.
 */
function ha1For(name: string, password: string, realms: readonly string[]): Ha1 {
  const out: Ha1 = {};
  for (const realm of realms) {
    const a1 = `${name}:${realm}:${password}`;
    out[realm] = { md5: hex('md5', a1), sha256: hex('sha256', a1) };
  }
  return out;
}

const isUniqueViolation = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';

/** SIP accounts of a user (spec 3.21); their registrations live in the RegistrationStore. */
export class SipAccountService {
  /** Seals the password that GET returns (spec 3.21) so the row never holds it in plain text. */
  private readonly box: SecretBox;

  constructor(
    private readonly db: Db,
    private readonly outbox: EventOutbox,
    private readonly config: Pick<Config, 'sipDomains' | 'sipAccountLimit'>,
    secretKey: Buffer,
    /** The location service: GET shows registrations, deleting an account drops them. */
    private readonly registrations: RegistrationStore | null = null,
  ) {
    this.box = new SecretBox(secretKey);
  }

  private domainOf(domain: string | undefined): string {
    if (domain === undefined) return this.config.sipDomains[0] ?? 'sip.callplane.local';
    // Domain names compare case-insensitively (RFC 3261 §19.1.4); stored as configured.
    const known = this.config.sipDomains.find((d) => d === domain.toLowerCase());
    if (known === undefined) throw new ServiceError('wrong-domain', 'not a valid SIP domain');
    return known;
  }

  /**
   * Names are `<username in lower case>_NN` with the lowest number free across
   * all users (usernames may differ only in case); the per-user quota counts
   * the user's own accounts. The user row is locked so that parallel creates
   * cannot pass the quota together.
   */
  async create(
    userId: string,
    input: SipAccountInput & { password: string },
  ): Promise<{ user: string; domain: string }> {
    const domain = this.domainOf(input.domain);
    const passwordHash = await hashPassword(input.password);
    for (let attempt = 0; ; attempt++) {
      try {
        const name = await this.outbox.run(async (trx, events) => {
          const user = await trx
            .selectFrom('users')
            .select('username')
            .where('uuid', '=', userId)
            .forUpdate()
            .executeTakeFirstOrThrow();
          const own = await trx
            .selectFrom('sip_accounts')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('owner', '=', userId)
            .executeTakeFirstOrThrow();
          if (Number(own.n) >= this.config.sipAccountLimit) {
            throw new ServiceError('quota-exceeded', 'the maximum number of SIP accounts is reached');
          }
          const prefix = user.username
            .toLowerCase()
            .replace(/[^a-z0-9]/g, '')
            .slice(0, 20);
          const taken = await trx
            .selectFrom('sip_accounts')
            .select('name')
            .where('name', 'like', `${prefix}\\_%`)
            .execute();
          const used = new Set(taken.map((r) => r.name));
          let nn = 1;
          while (nn <= 99 && used.has(`${prefix}_${String(nn).padStart(2, '0')}`)) nn++;
          if (nn > 99) throw new ServiceError('quota-exceeded', 'no SIP account name is left for this user');
          const n = `${prefix}_${String(nn).padStart(2, '0')}`;
          await trx
            .insertInto('sip_accounts')
            .values({
              name: n,
              owner: userId,
              domain,
              description: input.description ?? null,
              password_hash: passwordHash,
              password_enc: this.box.encrypt(input.password),
              ha1: JSON.stringify(ha1For(n, input.password, this.allRealms(domain))),
              created_us: Date.now() * 1000,
            })
            .execute();
          // spec 7.15.1: description only when one was set.
          await events.publish({ users: [userId] }, 'sip_new', {
            user: n,
            domain,
            ...(input.description !== undefined ? { description: input.description } : {}),
          });
          return n;
        });
        return { user: name, domain };
      } catch (err) {
        // Another user with the same lower-case prefix took the number meanwhile.
        if (isUniqueViolation(err) && attempt < 5) continue;
        throw err;
      }
    }
  }

  private allRealms(domain: string): string[] {
    return [...new Set([domain, ...this.config.sipDomains])];
  }

  /**
   * GET /api/sip: the password as last set (spec 3.21, softphone provisioning),
   * decrypted here. A row sealed with another key (SECRET_KEY not shared or
   * replaced) throws rather than answering with a wrong password.
   */
  async list(userId: string): Promise<Record<string, SipAccountView>> {
    const rows = await this.db
      .selectFrom('sip_accounts')
      .select(['name', 'domain', 'description', 'password_enc'])
      .where('owner', '=', userId)
      .orderBy('name')
      .execute();
    const registered =
      (await this.registrations?.newest(rows.map((r) => r.name))) ?? new Map<string, Binding>();
    const out: Record<string, SipAccountView> = {};
    for (const r of rows) {
      const b = registered.get(r.name);
      out[r.name] = {
        domain: r.domain,
        password: this.box.decrypt(r.password_enc),
        ...(r.description !== null ? { description: r.description } : {}),
        ...(b ? { contact: b.source, expire: Math.floor(b.expiresAt / 1000) } : {}),
      };
    }
    return out;
  }

  /** The user's own account names among `names` (used to check dialplan targets, spec 4.1). */
  async ownedNames(userId: string, names: readonly string[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('sip_accounts')
      .select('name')
      .where('owner', '=', userId)
      .where('name', 'in', [...names])
      .execute();
    return new Set(rows.map((r) => r.name));
  }

  /**
   * What the SIP registrar needs to challenge and verify an account (RFC 2617,
   * RFC 8760): the HA1 pair for the account's own domain, which is the realm.
   * Null for an unknown name, an account without an HA1 for its domain, or a
   * disabled or deleted owner (login refused, spec 9.1.1), so the stack
   * answers such a device exactly like a wrong password.
   */
  async credentials(
    name: string,
  ): Promise<{ name: string; owner: string; domain: string; ha1: { md5: string; sha256: string } } | null> {
    if (!SIP_NAME.test(name)) return null;
    const row = await this.db
      .selectFrom('sip_accounts')
      .innerJoin('users', 'users.uuid', 'sip_accounts.owner')
      .select(['sip_accounts.owner', 'sip_accounts.domain', 'sip_accounts.ha1'])
      .where('sip_accounts.name', '=', name)
      .where('users.disabled', '=', false)
      .where('users.deleted', '=', false)
      .executeTakeFirst();
    const ha1 = row ? (row.ha1 as Ha1)[row.domain] : undefined;
    if (!row || !ha1) return null;
    return { name, owner: row.owner, domain: row.domain, ha1: { md5: ha1.md5, sha256: ha1.sha256 } };
  }

  /** The user's own account (`wrong-sip` otherwise), for the notify and BLF calls. */
  async account(userId: string, name: string): Promise<{ name: string; owner: string; domain: string }> {
    const { domain } = await this.own(userId, name);
    return { name, owner: userId, domain };
  }

  /** Account deletion (spec 3.5): the devices of every SIP account of the user are unregistered. */
  async dropRegistrationsOfUser(userId: string): Promise<void> {
    if (!this.registrations) return;
    const rows = await this.db
      .selectFrom('sip_accounts')
      .select(['name', 'domain'])
      .where('owner', '=', userId)
      .execute();
    for (const r of rows)
      await this.registrations.unbindAll({ name: r.name, owner: userId, domain: r.domain });
  }

  private async own(
    userId: string,
    name: string,
  ): Promise<{ domain: string; description: string | null; ha1: Ha1 }> {
    const row = SIP_NAME.test(name)
      ? await this.db
          .selectFrom('sip_accounts')
          .select(['domain', 'description', 'ha1'])
          .where('owner', '=', userId)
          .where('name', '=', name)
          .executeTakeFirst()
      : undefined;
    // Another user's account answers exactly like an unknown one.
    if (!row) throw new ServiceError('wrong-sip', 'the SIP user does not match any of your SIP accounts');
    return { domain: row.domain, description: row.description, ha1: row.ha1 as Ha1 };
  }

  async modify(userId: string, name: string, input: SipAccountInput): Promise<void> {
    const current = await this.own(userId, name);
    const domain = input.domain === undefined ? current.domain : this.domainOf(input.domain);
    const changes: {
      domain: string;
      description?: string;
      password_hash?: string;
      password_enc?: string;
      ha1?: string;
    } = { domain };
    if (input.password !== undefined) {
      changes.password_hash = await hashPassword(input.password);
      changes.password_enc = this.box.encrypt(input.password);
      changes.ha1 = JSON.stringify(ha1For(name, input.password, this.allRealms(domain)));
    } else if (!current.ha1[domain]) {
      // The HA1 depends on the realm; without the password it cannot be derived for a new domain.
      throw new ServiceError('missing-element', 'a password is needed to move this account to that domain');
    }
    if (input.description !== undefined) changes.description = input.description;
    // spec 7.15.2: description only when it actually changed.
    const described = input.description !== undefined && input.description !== (current.description ?? '');
    await this.outbox.run(async (trx, events) => {
      await trx
        .updateTable('sip_accounts')
        .set(changes)
        .where('owner', '=', userId)
        .where('name', '=', name)
        .execute();
      await events.publish({ users: [userId] }, 'sip_modify', {
        user: name,
        domain,
        ...(described ? { description: input.description } : {}),
      });
    });
  }

  async remove(userId: string, name: string): Promise<void> {
    const current = await this.own(userId, name);
    const { deliver } = await this.outbox.commit(async (trx, events) => {
      await trx.deleteFrom('sip_accounts').where('owner', '=', userId).where('name', '=', name).execute();
      await events.publish({ users: [userId] }, 'sip_delete', { user: name, domain: current.domain });
    });
    // Its devices are unregistered (sip_unregister each) before sip_delete goes out.
    await this.registrations?.unbindAll({ name, owner: userId, domain: current.domain });
    await deliver();
  }
}
