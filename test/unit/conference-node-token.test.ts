import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeNodeToken, NODE_TOKEN_TTL_MS, nodeTokenKey, verifyNodeToken } from '../../src/lib/node-token.js';

const key = nodeTokenKey(randomBytes(32));
const conference = '0f8e2b6a-1c3d-4e5f-9a7b-112233445566';
const now = 1_800_000_000_000;

describe('conference node token', () => {
  it('grants the conference and language it was made for until it expires', () => {
    const token = makeNodeToken(key, { conference, language: 'de' }, now);
    expect(verifyNodeToken(key, token, now)).toEqual({ ok: true, join: { conference, language: 'de' } });
    expect(verifyNodeToken(key, token, now + NODE_TOKEN_TTL_MS - 1).ok).toBe(true);
  });

  it('is refused once expired', () => {
    const token = makeNodeToken(key, { conference, language: 'en' }, now, 1000);
    expect(verifyNodeToken(key, token, now + 1000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('is refused when any part was changed, or signed with another key', () => {
    const token = makeNodeToken(key, { conference, language: 'en' }, now);
    const [c, l, e, s] = token.split('.') as [string, string, string, string];
    const other = '0f8e2b6a-1c3d-4e5f-9a7b-112233445567';
    expect(verifyNodeToken(key, [other, l, e, s].join('.'), now)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyNodeToken(key, [c, 'de', e, s].join('.'), now)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyNodeToken(key, [c, l, String(Number(e) + 60_000), s].join('.'), now)).toEqual({
      ok: false,
      reason: 'signature',
    });
    const flipped = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    expect(verifyNodeToken(key, [c, l, e, flipped].join('.'), now)).toEqual({
      ok: false,
      reason: 'signature',
    });
    expect(verifyNodeToken(nodeTokenKey(randomBytes(32)), token, now)).toEqual({
      ok: false,
      reason: 'signature',
    });
  });

  it('is refused when malformed, never throwing', () => {
    for (const bad of [
      '',
      'x',
      `${conference}.en.1`,
      `${conference}.en.abc.sig`,
      `no-uuid.en.1.sig`,
      '....',
    ]) {
      expect(verifyNodeToken(key, bad, now)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(verifyNodeToken(key, `${conference}.en.${now + 5000}.!!`, now)).toEqual({
      ok: false,
      reason: 'signature',
    });
  });

  it('falls back to en for a language it cannot carry', () => {
    const token = makeNodeToken(key, { conference: conference.toUpperCase(), language: 'de-DE' }, now);
    expect(verifyNodeToken(key, token, now)).toEqual({ ok: true, join: { conference, language: 'en' } });
  });

  it('a call-reverse pass names the user whose ringing call it takes; a conference pass is not one', () => {
    const user = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const token = makeNodeToken(key, { callreverse: user.toUpperCase() }, now);
    expect(token.startsWith('callreverse.')).toBe(true);
    expect(verifyNodeToken(key, token, now)).toEqual({ ok: true, join: { callreverse: user } });
    expect(verifyNodeToken(key, token, now + NODE_TOKEN_TTL_MS)).toEqual({ ok: false, reason: 'expired' });
    const [, u, e, sig] = token.split('.') as [string, string, string, string];
    expect(verifyNodeToken(key, ['callreverse', conference, e, sig].join('.'), now)).toEqual({
      ok: false,
      reason: 'signature',
    });
    // Turned into a conference pass's shape: the language part is no language.
    expect(verifyNodeToken(key, [u, 'callreverse', e, sig].join('.'), now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyNodeToken(key, `callreverse.not-a-uuid.${now + 5000}.${sig}`, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(() => makeNodeToken(key, { callreverse: 'nobody' }, now)).toThrow(RangeError);
  });
});
