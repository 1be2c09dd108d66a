/** Test provisioning through the public API: numbers, SIP accounts, dialplans. */
import { runAdminCommand } from '../../src/admin/commands.js';
import type { Harness, TestUser } from './harness.js';

let area = 700 + (process.pid % 200);

/** A user with `count` phone numbers of a fresh area code (spec 3.9 create). */
export async function userWithNumbers(
  h: Harness,
  count = 1,
  opts: { partner?: { name: string; sid: string } } = {},
): Promise<{ user: TestUser; numbers: string[] }> {
  area += 1;
  const code = String(area);
  const pool = Array.from({ length: count }, (_, i) => `+49${code}6698${String(100 + i)}`);
  if (opts.partner) {
    // A partner with phone control assigns its users' numbers itself (spec 9.1.2).
    const user = await h.user({ partner: opts.partner.name });
    const create = Object.fromEntries(pool.map((n) => [n, {}]));
    const r = await h.call('POST', `/api/partner/phone/${user.uuid}`, {
      sid: opts.partner.sid,
      body: { create },
    });
    if (r['status'] !== 'ok') throw new Error(`partner phone create: ${JSON.stringify(r)}`);
    return { user, numbers: pool };
  }
  await runAdminCommand(h.services, { op: 'numbers.add', area: code, numbers: pool });
  const user = await h.user();
  await runAdminCommand(h.services, { op: 'user.set-area', user: user.username, area: code });
  for (let i = 0; i < count; i++) {
    const r = await h.call('POST', '/api/phone', { sid: user.sid, body: { create: true } });
    if (r['status'] !== 'ok') throw new Error(`phone create: ${JSON.stringify(r)}`);
    // New numbers are reserved until unlocked with their code (spec 3.9); tests want them active.
    for (const [n, v] of Object.entries(r)) {
      if (n !== 'status') await h.services.phones.unlock(n, (v as { unlock_code: string }).unlock_code);
    }
  }
  return { user, numbers: pool };
}

export async function updatePhone(
  h: Harness,
  sid: string,
  number: string,
  update: Record<string, unknown>,
): Promise<void> {
  const r = await h.call('POST', '/api/phone', { sid, body: { update: { [number]: update } } });
  if (r['status'] !== 'ok') throw new Error(`phone update: ${JSON.stringify(r)}`);
}

export async function sipAccount(
  h: Harness,
  sid: string,
  password = 'sEcReT53a',
): Promise<{ name: string; domain: string; password: string }> {
  const r = await h.call('POST', '/api/sip', { sid, body: { password } });
  if (r['status'] !== 'ok') throw new Error(`sip create: ${JSON.stringify(r)}`);
  return { name: r['user'] as string, domain: r['domain'] as string, password };
}

export async function dialplanV2(h: Harness, sid: string, dialplan: unknown): Promise<string> {
  const r = await h.call('POST', '/api/dialplan/v2', { sid, body: { dialplan } });
  if (r['status'] !== 'ok') throw new Error(`dialplan create: ${JSON.stringify(r)}`);
  return r['uuid'] as string;
}

/** A number whose calls follow a dialplan v2 with one profile. */
export async function numberWithProfile(
  h: Harness,
  profile: unknown,
): Promise<{ user: TestUser; number: string; dialplan: string }> {
  const { user, numbers } = await userWithNumbers(h);
  const number = numbers[0]!;
  const dialplan = await dialplanV2(h, user.sid, { description: 'test', profiles: [profile] });
  await updatePhone(h, user.sid, number, { dialplan });
  return { user, number, dialplan };
}

/**
 * Two colleagues of one partner's usergroup (spec 3.21 blf): Alice's number
 * rings her SIP account, Bob's account watches that number.
 */
export async function blfColleagues(h: Harness) {
  const partner = await h.partner();
  const alice = await userWithNumbers(h, 1, { partner });
  const bob = await userWithNumbers(h, 1, { partner });
  const G = '/api/partner/usergroup';
  const group = (await h.call('POST', G, { sid: partner.sid, body: {} }))['group_uuid'] as string;
  await h.call('POST', `${G}/${group}/user`, {
    sid: partner.sid,
    body: { users: { add: [alice.user.uuid, bob.user.uuid] } },
  });
  const aliceAcc = await sipAccount(h, alice.user.sid);
  const bobAcc = await sipAccount(h, bob.user.sid);
  const number = alice.numbers[0]!;
  await updatePhone(h, alice.user.sid, number, {
    dialplan: await dialplanV2(h, alice.user.sid, { profiles: [{ parallel: { targets: [aliceAcc.name] } }] }),
  });
  const watch = await h.call('POST', `/api/sip/${bobAcc.name}/blf`, {
    sid: bob.user.sid,
    body: { subscribe: [number] },
  });
  if (watch['status'] !== 'ok') throw new Error(`blf subscribe: ${JSON.stringify(watch)}`);
  return { partner, alice, bob, aliceAcc, bobAcc, number };
}
