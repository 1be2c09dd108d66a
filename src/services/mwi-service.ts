import { ServiceError } from '../errors/index.js';
import {
  MESSAGE_SUMMARY_TYPE,
  messageSummaryBody,
  type VoiceMessageCounts,
} from '../domain/mwi/message-summary.js';
import { isMwiPhone, parseMwiUri } from '../domain/mwi/mwi-uri.js';
import type { Db } from '../store/db.js';
import type { SipNotifier } from '../store/redis/sip-notify-relay.js';
import type { MessageWaiting } from './message-waiting.js';
import type { UserService } from './user-service.js';

/** POST /api/mwi's answer: the numbers mapped, and those unknown to the system. */
export interface MwiUpdate {
  'phone-ok': string[];
  'phone-fail': string[];
}

/**
 * Message waiting indication URIs (spec 13.1.2 /api/mwi): which SIP URI
 * receives the message-summary NOTIFYs (RFC 3842) of a phone number. Any
 * number of the system can be mapped, by users holding the special `mwi`
 * permission (`callplane admin user set-permission <user> mwi`).
 */
export class MwiService {
  constructor(
    private readonly db: Db,
    private readonly users: Pick<UserService, 'hasPermission'>,
    private readonly counts: Pick<MessageWaiting, 'summary'>,
    /** The NOTIFY sender, read at each change: the local SIP stack, else the relay to the telephony nodes. */
    private readonly notifier: () => SipNotifier,
    /** Tells every telephony node, for the phones SUBSCRIBEd to the owner's mailbox (store/redis/presence-bus.ts). */
    private readonly announce: (owner: string, counts: VoiceMessageCounts) => Promise<void>,
    private readonly log: (message: string) => void = (m) => process.stderr.write(`callplane mwi: ${m}\n`),
  ) {}

  /**
   * The voice messages of `owner` changed (one arrived, was heard, marked
   * unread again, trashed or deleted): a message-summary NOTIFY (RFC 3842,
   * `Event: message-summary`) with the current counts goes to the MWI URI of
   * each of the owner's numbers that has one, and to the owner's SIP
   * accounts that subscribed to their mailbox (RFC 3842 message-summary, on
   * whatever node holds the subscription). Failures are logged: the lamp is
   * a hint, the change itself stands.
   */
  async changed(owner: string): Promise<void> {
    const [targets, counts] = await Promise.all([
      this.db
        .selectFrom('phone_mwi')
        .innerJoin('phones', 'phones.number', 'phone_mwi.number')
        .select(['phone_mwi.number', 'phone_mwi.uri'])
        .where('phones.user_uuid', '=', owner)
        .execute(),
      this.counts.summary(owner),
    ]);
    await this.announce(owner, counts).catch((err: unknown) =>
      this.log(`message-summary of ${owner} not passed to the telephony nodes: ${String(err)}`),
    );
    await Promise.all(
      targets.map(async ({ number, uri }) => {
        const target = parseMwiUri(uri);
        if (!target) return;
        const host = target.host.includes(':') ? `[${target.host}]` : target.host;
        const port = target.port ?? 5060;
        try {
          await this.notifier().notify(
            // The URI's host stands for the device: the NOTIFY goes there over UDP (no registration).
            {
              contact: uri,
              source: `${host}:${port}`,
              transport: 'udp',
              expiresAt: Date.now() + 60_000,
              callId: '',
              cseq: 0,
            },
            { name: target.user, domain: target.port === null ? host : `${host}:${port}` },
            {
              event: 'message-summary',
              contentType: MESSAGE_SUMMARY_TYPE,
              content: messageSummaryBody(counts, uri),
            },
          );
        } catch (err) {
          this.log(`message-summary NOTIFY of ${number} to ${uri} failed: ${String(err)}`);
        }
      }),
    );
  }

  private async allowed(userId: string): Promise<void> {
    if (!(await this.users.hasPermission(userId, 'mwi'))) {
      throw new ServiceError('access-denied', 'the user does not have the mwi permission');
    }
  }

  private async known(phone: string): Promise<void> {
    const row = isMwiPhone(phone)
      ? await this.db.selectFrom('phones').select('number').where('number', '=', phone).executeTakeFirst()
      : undefined;
    if (!row) throw new ServiceError('wrong-phone', `the phone number ${phone} is not known to the system`);
  }

  /** GET /api/mwi/(phone): `mwi_uri` when the number has a mapping. */
  async get(userId: string, phone: string): Promise<{ mwi_uri?: string }> {
    await this.allowed(userId);
    await this.known(phone);
    const row = await this.db
      .selectFrom('phone_mwi')
      .select('uri')
      .where('number', '=', phone)
      .executeTakeFirst();
    return row ? { mwi_uri: row.uri } : {};
  }

  /** POST /api/mwi: maps each number of the request that exists; the others end in `phone-fail`. */
  async set(userId: string, mapping: Record<string, string>): Promise<MwiUpdate> {
    await this.allowed(userId);
    const entries = Object.entries(mapping);
    if (entries.length === 0) throw new ServiceError('missing-element', 'no phone number to map');
    for (const [phone, uri] of entries) {
      if (!isMwiPhone(phone)) throw new ServiceError('wrong-syntax', `'${phone}' is not a phone number`);
      if (typeof uri !== 'string' || !parseMwiUri(uri)) {
        throw new ServiceError('wrong-syntax', `the MWI URI of ${phone} is not sip:<user>@<host>`);
      }
    }
    const existing = await this.db
      .selectFrom('phones')
      .select('number')
      .where(
        'number',
        'in',
        entries.map(([phone]) => phone),
      )
      .execute();
    const known = new Set(existing.map((r) => r.number));
    const ok = entries.filter(([phone]) => known.has(phone));
    if (ok.length > 0) {
      const now = Date.now() * 1000;
      await this.db
        .insertInto('phone_mwi')
        .values(ok.map(([number, uri]) => ({ number, uri, modified_us: now })))
        .onConflict((oc) =>
          oc.column('number').doUpdateSet((eb) => ({
            uri: eb.ref('excluded.uri'),
            modified_us: eb.ref('excluded.modified_us'),
          })),
        )
        .execute();
    }
    return {
      'phone-ok': ok.map(([phone]) => phone),
      'phone-fail': entries.filter(([phone]) => !known.has(phone)).map(([phone]) => phone),
    };
  }

  /** DELETE /api/mwi/(phone): removes the number's mapping (none is fine). */
  async delete(userId: string, phone: string): Promise<void> {
    await this.allowed(userId);
    await this.known(phone);
    await this.db.deleteFrom('phone_mwi').where('number', '=', phone).execute();
  }
}
