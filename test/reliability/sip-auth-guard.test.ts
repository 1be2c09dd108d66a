/**
 * Issue 14, item 4, on the wire: password guessing against SIP REGISTER with
 * sipp, from several loopback addresses (Linux routes all of 127.0.0.0/8 to
 * lo), against the guard's defaults (store/redis/auth-guard.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/admin/commands.js';
import { sipAccount } from '../helpers/provision.js';
import { runSipp, SIPP_AVAILABLE } from '../helpers/sipp.js';
import { createTelephonyHarness, type TelephonyHarness } from '../helpers/telephony.js';

let h: TelephonyHarness;
beforeAll(async () => {
  h = await createTelephonyHarness({ SIP_DIGEST_ALGORITHMS: 'MD5' });
});
afterAll(async () => {
  await h?.close();
});

interface Account {
  name: string;
  domain: string;
  password: string;
}

/**
 * One REGISTER exchange, told by the registrar's last answer: 200 is 'ok', a
 * 403 (or a second challenge after the credentials) is 'refused'. sipp on a
 * loaded machine can fail without either (a retransmitted challenge arriving
 * after the credentials were sent, a timeout): that is retried, and thrown
 * with sipp's log if it persists, never read as a refusal.
 */
async function register(acc: Account, password: string, from = '127.0.0.1'): Promise<'ok' | 'refused'> {
  const right = password === acc.password;
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await runSipp({
      scenario: right ? 'register.xml' : 'register-fail.xml',
      remote: `127.0.0.1:${h.sipPort}`,
      localIp: from,
      localPort: 0,
      auth: { username: acc.name, password },
      vars: { user: acc.name, domain: acc.domain },
      timeoutSeconds: 15,
    });
    const codes = [...r.messages.matchAll(/^SIP\/2\.0 (\d{3})/gm)].map((m) => m[1]);
    const final = codes.filter((c) => c !== '100').at(-1);
    // register.xml succeeds on 200; register-fail.xml succeeds on a refusal.
    if (right && r.successful === 1) return 'ok';
    if (!right && r.successful === 1) return 'refused';
    if (right && final === '403') return 'refused';
    if (!right && final === '200') throw new Error(`a wrong password was accepted for ${acc.name}`);
    last = `sipp failed without a verdict (answers ${codes.join(',') || 'none'}): ${r.errors}\n${r.messages.slice(-2000)}`;
  }
  throw new Error(last);
}

async function account(): Promise<Account> {
  const u = await h.user();
  return sipAccount(h, u.sid);
}

describe.skipIf(!SIPP_AVAILABLE)('SIP auth guard on the wire (sipp)', () => {
  it('keeps a phone registering behind the address of a guesser, and blocks the guesses', async () => {
    const phone = await account();
    const victim = await account();
    expect(await register(phone, phone.password)).toBe('ok');
    // Issue 14: guesses interleaved with logins to one's own account never blocked anything.
    for (let i = 0; i < 6; i++) {
      await register(victim, `guess-${i}`);
      expect(await register(phone, phone.password), `own login ${i}`).toBe('ok');
    }
    expect(await register(victim, victim.password), 'the guessed account from that address').toBe('refused');
    // Guesses over many accounts block the address for every account it never logged in to.
    const fake = { domain: phone.domain, password: 'x' };
    for (let batch = 0; batch < 6; batch++) {
      await Promise.all(
        Array.from({ length: 5 }, (_, i) => register({ ...fake, name: `guess${batch}${i}_01` }, 'wrong')),
      );
    }
    const newcomer = await account();
    expect(await register(newcomer, newcomer.password), 'an account new to the blocked address').toBe(
      'refused',
    );
    expect(await register(phone, phone.password), 'the phone that logged in before').toBe('ok');
    expect(await register(newcomer, newcomer.password, '127.0.0.99'), 'the same account elsewhere').toBe(
      'ok',
    );
  });

  it('blocks guesses spread over many addresses; the owner keeps registering', async () => {
    const target = await account();
    expect(await register(target, target.password, '127.0.1.1')).toBe('ok');
    for (let batch = 0; batch < 4; batch++) {
      await Promise.all(
        Array.from({ length: 5 }, (_, i) => register(target, 'wrong', `127.0.2.${batch * 5 + i + 1}`)),
      );
    }
    expect(await register(target, target.password, '127.0.2.200'), 'a new address, right password').toBe(
      'refused',
    );
    expect(await register(target, target.password, '127.0.1.1'), 'the owner').toBe('ok');
    // The operator sees the block and lifts it (callplane admin auth blocked / unblock).
    const listed = await runAdminCommand(h.services, { op: 'auth.blocked' });
    expect(listed['blocked']).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'account', account: target.name })]),
    );
    const lifted = await runAdminCommand(h.services, { op: 'auth.unblock', target: target.name });
    expect(lifted).toEqual({ target: target.name, unblocked: 1 });
    expect(await register(target, target.password, '127.0.2.200')).toBe('ok');
  });
});
