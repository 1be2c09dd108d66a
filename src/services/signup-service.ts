import type { Selectable } from 'kysely';
import { ServiceError } from '../errors/index.js';
import { newId, randomToken } from '../lib/ids.js';
import { hashToken } from '../lib/passwords.js';
import type { Db } from '../store/db.js';
import type { SignupVerificationsTable } from '../store/schema.js';
import type { Session, SessionStore } from './session-store.js';
import { UserLifecycle } from './user-lifecycle.js';
import { UserService } from './user-service.js';

/** Sign-up verifications stay valid for 7 days (spec 3.2 is silent; our choice). */
export const VERIFICATION_TTL_US = 7 * 24 * 3600 * 1_000_000;
/** `info` is any JSON of at most 10000 characters serialized (spec 3.2 `^.{1,10000}$`). */
export const INFO_MAX_CHARS = 10000;

type VerificationRow = Selectable<SignupVerificationsTable>;

/** `GET /api/signup/verification/(verification)` (spec 3.2). */
export interface VerificationView {
  partner?: string;
  uuid?: string;
  email?: string;
  info?: unknown;
}

/** `POST /api/signup/user` (spec 3.2), already checked against the spec's formats. */
export interface SignupUserInput {
  verification: string;
  username: string;
  firstname: string;
  lastname: string;
  password: string;
  email?: string | undefined;
  display_name?: string | undefined;
  country_code?: string | undefined;
  language?: 'de' | 'en' | undefined;
  newsletter?: boolean | undefined;
}

const unknownVerification = (): ServiceError =>
  new ServiceError('unknown-verification', 'the verification key is unknown');

const nowUs = (): number => Date.now() * 1000;

/** Postgres unique violations of the users table, raised when two sign-ups race past the pre-check. */
function uniqueViolation(err: unknown): ServiceError | undefined {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code !== '23505') return undefined;
  const where = `${e.constraint ?? ''} ${e.message ?? ''}`;
  if (where.includes('users_username_lower')) {
    return new ServiceError('duplicate-username', 'the username is already taken');
  }
  if (where.includes('users_email_lower')) {
    return new ServiceError('already-exist', 'the e-mail address belongs to an existing user');
  }
  return undefined;
}

/**
 * Partner-controlled sign-up (spec 3.2): a partner asks for a verification key
 * and the UUID the future user will get, the client creates the user with it.
 * Keys are stored hashed, like recovery codes.
 */
export class SignupService {
  private readonly users: UserService;
  private readonly lifecycle: UserLifecycle;

  constructor(
    private readonly db: Db,
    sessions: SessionStore,
  ) {
    this.users = new UserService(db);
    this.lifecycle = new UserLifecycle(db, sessions);
  }

  async createPartnerVerification(
    partnerId: string,
    opts: { info?: unknown; email?: string | undefined },
  ): Promise<{ verification: string; uuid: string; info?: unknown }> {
    const info = opts.info === undefined ? undefined : JSON.stringify(opts.info);
    if (info !== undefined && info.length > INFO_MAX_CHARS) {
      throw new ServiceError('wrong-syntax', `info must be at most ${INFO_MAX_CHARS} characters as JSON`);
    }
    if (opts.email !== undefined && (await this.users.byLogin({ email: opts.email }))) {
      throw new ServiceError('already-exist', 'the e-mail address belongs to an existing user');
    }
    const verification = randomToken(25);
    const uuid = newId();
    await this.db.deleteFrom('signup_verifications').where('expires_us', '<=', nowUs()).execute();
    await this.db
      .insertInto('signup_verifications')
      .values({
        key: hashToken(verification),
        partner_id: partnerId,
        user_uuid: uuid,
        email: opts.email ?? null,
        info: info ?? 'null',
        expires_us: nowUs() + VERIFICATION_TTL_US,
      })
      .execute();
    return { verification, uuid, ...(opts.info !== undefined ? { info: opts.info } : {}) };
  }

  private async find(verification: string): Promise<VerificationRow> {
    const row = await this.db
      .selectFrom('signup_verifications')
      .selectAll()
      .where('key', '=', hashToken(verification))
      .where('expires_us', '>', nowUs())
      .executeTakeFirst();
    if (!row) throw unknownVerification();
    return row;
  }

  async get(verification: string): Promise<VerificationView> {
    const row = await this.find(verification);
    const partner = row.partner_id
      ? await this.db
          .selectFrom('partners')
          .select('name')
          .where('id', '=', row.partner_id)
          .executeTakeFirst()
      : undefined;
    return {
      ...(partner ? { partner: partner.name, uuid: row.user_uuid } : {}),
      ...(row.email !== null ? { email: row.email } : {}),
      ...(row.info !== null && row.info !== undefined ? { info: row.info } : {}),
    };
  }

  async delete(verification: string): Promise<void> {
    const res = await this.db
      .deleteFrom('signup_verifications')
      .where('key', '=', hashToken(verification))
      .where('expires_us', '>', nowUs())
      .executeTakeFirst();
    if (res.numDeletedRows === 0n) throw unknownVerification();
  }

  /**
   * `POST /api/signup/user`. The verification is claimed with one
   * DELETE ... RETURNING, so of two concurrent sign-ups with the same key only
   * one gets it; if creating the user then fails, the key is put back so the
   * client can retry with another username.
   */
  async createUser(session: Session, input: SignupUserInput): Promise<void> {
    const claimed = await this.db
      .deleteFrom('signup_verifications')
      .where('key', '=', hashToken(input.verification))
      .where('expires_us', '>', nowUs())
      .returningAll()
      .executeTakeFirst();
    if (!claimed) throw unknownVerification();
    let user;
    try {
      // A verified address of the key wins over one given in the request.
      const email = claimed.email ?? input.email;
      if (email === undefined) {
        throw new ServiceError('missing-element', 'email is required: the verification key carries none');
      }
      user = await this.users.create({
        uuid: claimed.user_uuid,
        partnerId: claimed.partner_id,
        username: input.username,
        password: input.password,
        email,
        firstname: input.firstname,
        lastname: input.lastname,
        display_name: input.display_name ?? `${input.firstname} ${input.lastname}`,
        country_code: input.country_code ?? '+49',
        language: input.language ?? session.language,
        newsletter: input.newsletter ?? true,
      });
    } catch (err) {
      await this.restore(claimed);
      throw uniqueViolation(err) ?? err;
    }
    await this.lifecycle.signIn(session, user);
  }

  private async restore(row: VerificationRow): Promise<void> {
    await this.db
      .insertInto('signup_verifications')
      .values({ ...row, info: JSON.stringify(row.info ?? null) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }
}
