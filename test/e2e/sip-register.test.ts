/**
 * REGISTER with digest authentication against the embedded registrar (RFC
 * 3261 §10, spec 3.21 contact/expire, 7.15.4-7.15.5 events), with sipp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sipAccount } from '../helpers/provision.js';
import { runSipp, SIPP_AVAILABLE } from '../helpers/sipp.js';
import { createTelephonyHarness, eventually, type TelephonyHarness } from '../helpers/telephony.js';

let h: TelephonyHarness;
beforeAll(async () => {
  h = await createTelephonyHarness({ SIP_DIGEST_ALGORITHMS: 'MD5' });
});
afterAll(async () => {
  await h?.close();
});

const register = (
  account: { name: string; domain: string },
  password: string,
  vars: Record<string, string> = {},
  file = 'register.xml',
) =>
  runSipp({
    scenario: file,
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: 0,
    auth: { username: account.name, password },
    vars: { user: account.name, domain: account.domain, ...vars },
    timeoutSeconds: 15,
  });

async function events(sid: string, next = 0): Promise<Array<Record<string, unknown>>> {
  const r = await h.call('GET', '/api/event', { sid, query: { next: String(next), timeout: '0' } });
  return (r['event'] as Array<Record<string, unknown>> | undefined) ?? [];
}

describe.skipIf(!SIPP_AVAILABLE)('SIP registration (sipp)', () => {
  it('registers with the right password: contact and expire in GET /api/sip, sip_register event', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    const r = await register(acc, acc.password, { expires: '120' });
    expect(r.successful, r.errors).toBe(1);
    const sip = (await h.call('GET', '/api/sip', { sid: u.sid }))['sip'] as Record<
      string,
      Record<string, unknown>
    >;
    const entry = sip[acc.name]!;
    expect(entry['contact']).toMatch(/^127\.0\.0\.1:[0-9]+$/);
    const expire = Number(entry['expire']);
    expect(Math.abs(expire - (Date.now() / 1000 + 120))).toBeLessThan(5);
    const ev = await eventually(
      async () => (await events(u.sid)).find((e) => e['event'] === 'sip_register'),
      'sip_register',
    );
    expect(ev).toMatchObject({ event: 'sip_register', user: acc.name, domain: acc.domain });
  });

  it('refuses a wrong password with 403 and keeps no binding', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    const r = await register(acc, 'wrong-password', {}, 'register-fail.xml');
    expect(r.successful, r.errors).toBe(1);
    const sip = (await h.call('GET', '/api/sip', { sid: u.sid }))['sip'] as Record<
      string,
      Record<string, unknown>
    >;
    expect(sip[acc.name]!['contact']).toBeUndefined();
  });

  it('forgets a binding when it expires, with a sip_unregister event', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    const r = await register(acc, acc.password, { expires: '2' });
    expect(r.successful, r.errors).toBe(1);
    await eventually(
      async () => {
        const sip = (await h.call('GET', '/api/sip', { sid: u.sid }))['sip'] as Record<
          string,
          Record<string, unknown>
        >;
        return sip[acc.name]!['contact'] === undefined;
      },
      'the binding to expire',
      6000,
    );
    await eventually(
      async () => (await events(u.sid)).find((e) => e['event'] === 'sip_unregister'),
      'sip_unregister',
      3000,
    );
  });

  it('unregisters with Expires: 0', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    const r = await register(acc, acc.password, { unregister: '1', hold_ms: '200' });
    expect(r.successful, r.errors).toBe(1);
    const sip = (await h.call('GET', '/api/sip', { sid: u.sid }))['sip'] as Record<
      string,
      Record<string, unknown>
    >;
    expect(sip[acc.name]!['contact']).toBeUndefined();
  });

  it('blocks an account from an address after repeated failures, then lets it in again', async () => {
    // Five failures of one account from 127.0.0.1 block that pair (store/redis/auth-guard.ts).
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    for (let i = 0; i < 5; i++) {
      const r = await register(acc, 'wrong-password', {}, 'register-fail.xml');
      expect(r.successful).toBe(1);
    }
    const blocked = await register(acc, acc.password, {}, 'register.xml');
    expect(blocked.successful, 'the right password is refused while blocked').toBe(0);
    await h.redis.del(`${h.config.redisPrefix}sipauth:block:pair:127.0.0.1|${acc.name}`);
    const again = await register(acc, acc.password);
    expect(again.successful, again.errors).toBe(1);
  });
});
