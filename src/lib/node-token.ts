/**
 * The pass of a participant's leg between telephony nodes (issue 17): a
 * caller whose call landed on one node joins a conference mixed on another
 * through a SIP call from its node to the mixing one. That call carries
 * this token, which names the conference and the caller's prompt language
 * and is signed (HMAC-SHA256) with a key every node derives from
 * SECRET_KEY, so the mixing node lets it into the room without a PIN. It
 * expires soon after it was made: a captured INVITE is not a lasting key.
 *
 * A call-reverse call (dialplan v1) that landed on one node takes the call
 * ringing on another the same way: its pass names the user whose ringing
 * call it takes.
 *
 * Format: `<conference>.<language>.<expiry ms>.<signature base64url>`, or
 * `callreverse.<user uuid>.<expiry ms>.<signature base64url>`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How long a token made for a call between nodes is accepted (ms). */
export const NODE_TOKEN_TTL_MS = 60_000;

export interface ConferenceJoin {
  conference: string;
  /** The caller's prompt language (de, en). */
  language: string;
}

/** The pass of a call-reverse call to the node where the user's call rings. */
export interface CallreverseJoin {
  /** The user (uuid) whose ringing call is taken. */
  callreverse: string;
}

export type NodeJoin = ConferenceJoin | CallreverseJoin;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LANGUAGE = /^[a-z]{2,8}$/;

/** The signing key of node tokens, derived from SECRET_KEY (never the key itself). */
export function nodeTokenKey(secretKey: Buffer): Buffer {
  return createHash('sha256').update(secretKey).update('conference-node-leg').digest();
}

function sign(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

const CALLREVERSE = 'callreverse';

/** A token for joining `join.conference` (or taking `join.callreverse`'s ringing call), valid until now + ttl. */
export function makeNodeToken(key: Buffer, join: NodeJoin, now: number, ttlMs = NODE_TOKEN_TTL_MS): string {
  const expiry = Math.floor(now + ttlMs);
  if ('callreverse' in join) {
    const user = join.callreverse.toLowerCase();
    if (!UUID.test(user)) throw new RangeError(`not a user uuid: ${join.callreverse}`);
    const payload = `${CALLREVERSE}.${user}.${expiry}`;
    return `${payload}.${sign(key, payload)}`;
  }
  const conference = join.conference.toLowerCase();
  if (!UUID.test(conference)) throw new RangeError(`not a conference uuid: ${join.conference}`);
  const language = LANGUAGE.test(join.language) ? join.language : 'en';
  const payload = `${conference}.${language}.${expiry}`;
  return `${payload}.${sign(key, payload)}`;
}

/** What a token grants, or why it grants nothing. */
export type NodeTokenCheck =
  { ok: true; join: NodeJoin } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** Checks a token's form, signature (constant time) and expiry. */
export function verifyNodeToken(key: Buffer, token: string, now: number): NodeTokenCheck {
  const parts = token.trim().split('.');
  if (parts.length !== 4) return { ok: false, reason: 'malformed' };
  const [first, second, expiry, signature] = parts as [string, string, string, string];
  const callreverse = first === CALLREVERSE;
  if (!/^\d{1,15}$/.test(expiry)) return { ok: false, reason: 'malformed' };
  if (callreverse ? !UUID.test(second) : !UUID.test(first) || !LANGUAGE.test(second))
    return { ok: false, reason: 'malformed' };
  const want = Buffer.from(sign(key, `${first}.${second}.${expiry}`), 'base64url');
  const got = Buffer.from(signature, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, reason: 'signature' };
  if (Number(expiry) <= now) return { ok: false, reason: 'expired' };
  return { ok: true, join: callreverse ? { callreverse: second } : { conference: first, language: second } };
}
