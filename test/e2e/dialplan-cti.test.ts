/**
 * The dialplan v1 call functions through the embedded B2BUA with sipp peers
 * (spec 4.2 callback / callthrough / callreverse, events 7.14.2-7.14.3):
 * sipp UACs play the carrier calling the user's numbers, a sipp UAS on the
 * trunk port plays the carrier taking the engine's outbound legs.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackCall } from '../../src/telephony/engine/callback.js';
import type { Leg, MediaStats } from '../../src/telephony/adapter.js';
import { sipAccount, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { G711A_PCAP, runSipp, startSipp, SIPP_AVAILABLE, type SippOptions } from '../helpers/sipp.js';
import {
  bindContact,
  cdrsOf,
  createTelephonyHarness,
  eventually,
  freePort,
  type TelephonyHarness,
} from '../helpers/telephony.js';

let h: TelephonyHarness;
beforeAll(async () => {
  h = await createTelephonyHarness();
});
afterAll(async () => {
  await h?.close();
});

/**
 * The carrier calling `number` from `caller`. Carrier INVITEs must come from a
 * trunk address: the carrier port, or (for a second call at the same time)
 * the trunk port, which is a trunk entry too.
 */
function carrier(number: string, caller: string, extra: Partial<SippOptions> = {}) {
  return startSipp({
    scenario: 'uac-call',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: h.carrierPort,
    service: number,
    timeoutSeconds: 20,
    ...extra,
    vars: { from_user: caller, ...(extra.vars ?? {}) },
  });
}

/** The carrier side of the engine's outbound legs: a sipp UAS on the trunk port. */
async function trunk(scenario = 'uas-answer', extra: Partial<SippOptions> = {}) {
  const p = startSipp({ scenario, localPort: h.trunkPort, timeoutSeconds: 20, ...extra });
  await p.ready;
  return p;
}

/** A user with one number routed by the dialplan v1 (`dialplan_enable`), and that dialplan. */
async function dialplanUser(dialplan: Record<string, unknown>, partner?: { name: string; sid: string }) {
  const { user, numbers } = await userWithNumbers(h, 1, partner ? { partner } : {});
  const number = numbers[0]!;
  await updatePhone(h, user.sid, number, { dialplan_enable: true });
  const r = await h.call('POST', '/api/dialplan', { sid: user.sid, body: dialplan });
  expect(r['status']).toBe('ok');
  return { user, number };
}

const invites = (messages: string) => [...messages.matchAll(/^INVITE sip:([^@]+)@/gm)].map((m) => m[1]);

async function cdrs(phone: string, n: number) {
  return eventually(async () => {
    const c = await cdrsOf(h, phone);
    return c.length === n ? c : null;
  }, `${n} CDRs of ${phone}`);
}

async function stats(leg: Leg | null): Promise<MediaStats> {
  const s = leg ? await h.telephony.adapter.media.stats(leg) : null;
  if (!s) throw new Error('leg without media');
  return s;
}

describe.skipIf(!SIPP_AVAILABLE)('dialplan v1 call functions (embedded B2BUA, sipp)', () => {
  it('callback: calls cti_via, then the destination, and bridges the media of the two legs', async () => {
    const { user, number } = await dialplanUser({ cti_via: '+4930777001' });
    // Both legs reach the same sipp UAS, which plays 7 s of PCMA into each after the answer.
    const far = await trunk('uas-answer', { calls: 2, pcap: G711A_PCAP });
    const placed = once(h.telephony.callback, 'call') as Promise<[CallbackCall]>;
    const r = await h.call('POST', '/api/dialplan/callback', {
      sid: user.sid,
      body: { from: number, to: '+4930777002' },
    });
    expect(r['status']).toBe('ok');
    const [call] = await placed;
    expect(await call.bridged).toBe(true);
    // Counted once the relay runs steadily (a relay fills its buffers in its first moments).
    await new Promise((r) => setTimeout(r, 500));
    const [a0, b0] = await Promise.all([stats(call.first), stats(call.second)]);
    await new Promise((r) => setTimeout(r, 1000));
    const [a1, b1] = await Promise.all([stats(call.first), stats(call.second)]);
    // What one leg receives goes out of the other: about 50 packets a second each way, give or
    // take the counters of the two legs being read one after the other (on FreeSWITCH over its
    // event socket).
    const aIn = a1.packetsIn - a0.packetsIn;
    const bIn = b1.packetsIn - b0.packetsIn;
    expect(aIn).toBeGreaterThan(30);
    expect(bIn).toBeGreaterThan(30);
    expect(Math.abs(b1.packetsOut - b0.packetsOut - aIn)).toBeLessThanOrEqual(4);
    expect(Math.abs(a1.packetsOut - a0.packetsOut - bIn)).toBeLessThanOrEqual(4);

    // The user hangs up: the destination's leg ends too.
    call.first!.hangup();
    expect((await call.done).kind).toBe('bridged');
    const res = await far.done;
    expect(res.successful, res.errors).toBe(2);
    expect(invites(res.messages)).toEqual(['+4930777001', '+4930777002']);
    // `from` is the caller on both legs.
    const froms = res.messages.match(/^From: .*$/gm) ?? [];
    expect(froms.length).toBeGreaterThan(0);
    for (const f of froms) expect(f).toContain(`sip:${number}@`);

    const [root, child] = (await cdrs(number, 2)) as [Record<string, unknown>, Record<string, unknown>];
    expect(root).toMatchObject({ service: 'call_back', b_number: '+4930777001' });
    expect(root['parent']).toBeUndefined();
    expect(child).toMatchObject({
      service: 'call_back',
      b_number: '+4930777002',
      parent: root['id'],
      root: root['id'],
    });
    expect(Number(child['t_post'])).toBeGreaterThanOrEqual(1);
  });

  it('callback: a busy cti_via leg places no second call', async () => {
    const { user, number } = await dialplanUser({ cti_via: '+4930777003' });
    const far = await trunk('uas-busy', { vars: { status: '486' } });
    const placed = once(h.telephony.callback, 'call') as Promise<[CallbackCall]>;
    await h.call('POST', '/api/dialplan/callback', {
      sid: user.sid,
      body: { from: number, to: '+4930777004' },
    });
    const [call] = await placed;
    expect(await call.done).toMatchObject({ kind: 'first-failed', cause: { q850: 17 } });
    expect(call.second).toBeNull();
    const res = await far.done;
    expect(res.successful, res.errors).toBe(1);
    expect(invites(res.messages)).toEqual(['+4930777003']);
    const rows = await cdrs(number, 1);
    expect(rows[0]).toMatchObject({ service: 'call_back', b_number: '+4930777003', t_post: 0 });
  });

  it('callback: the partner’s call filter on service callback refuses the destination leg', async () => {
    const partner = await h.partner();
    const { user, number } = await dialplanUser({ cti_via: '+4930777005' }, partner);
    const filter = [{ operator: 'service', key: 'callback', pass: false }];
    const set = await h.call('POST', `/api/partner/callfilter/${user.uuid}`, {
      sid: partner.sid,
      body: { callfilter: filter },
    });
    expect(set['status']).toBe('ok');
    const far = await trunk('uas-answer');
    const placed = once(h.telephony.callback, 'call') as Promise<[CallbackCall]>;
    await h.call('POST', '/api/dialplan/callback', {
      sid: user.sid,
      body: { from: number, to: '+4930777006' },
    });
    const [call] = await placed;
    expect(await call.done).toMatchObject({
      kind: 'second-failed',
      cause: { q850: 21, name: 'call-filter' },
    });
    expect(call.second).toBeNull();
    const res = await far.done;
    expect(res.successful, res.errors).toBe(1);
    expect(invites(res.messages)).toEqual(['+4930777005']);
  });

  it('call-through: the partner’s call filter on service call_through refuses the destination', async () => {
    const partner = await h.partner();
    const { user, number } = await dialplanUser({ phone_pool: {} }, partner);
    await h.call('POST', `/api/partner/callfilter/${user.uuid}`, {
      sid: partner.sid,
      body: { callfilter: [{ operator: 'service', key: 'call_through', pass: false }] },
    });
    await h.call('POST', '/api/dialplan/callthrough', {
      sid: user.sid,
      body: { phone: '+4930777007', filter: '+4922199900' },
    });
    const caller = await runSipp({
      scenario: 'uac-call-expect-fail',
      remote: `127.0.0.1:${h.sipPort}`,
      localPort: h.carrierPort,
      service: number,
      vars: { from_user: '+4922199900', expected: '403' },
      timeoutSeconds: 20,
    });
    expect(caller.successful, caller.errors).toBe(1);
  });

  it('call-through: the filter number reaches the destination, another caller the normal routing', async () => {
    const { user, number } = await dialplanUser({ action: 'redirect', phone: '+4930777010' });
    const ct = { phone: '+4930777011', filter: '+4989000111' };
    expect((await h.call('POST', '/api/dialplan/callthrough', { sid: user.sid, body: ct }))['status']).toBe(
      'ok',
    );

    // Not the filter number: the dialplan's redirect, and the process stays.
    let far = await trunk();
    let caller = await carrier(number.slice(1), '+4989000999').done;
    expect(caller.successful, caller.errors).toBe(1);
    let res = await far.done;
    expect(invites(res.messages)).toEqual(['+4930777010']);
    expect(await h.services.dialplanV1.callthroughState(user.uuid)).toEqual(ct);

    // The filter number: connected to the call-through destination, and the process is used up.
    far = await trunk();
    caller = await carrier(number.slice(1), '+4989000111').done;
    expect(caller.successful, caller.errors).toBe(1);
    res = await far.done;
    expect(res.successful, res.errors).toBe(1);
    expect(invites(res.messages)).toEqual(['+4930777011']);
    expect(await h.services.dialplanV1.callthroughState(user.uuid)).toBeNull();

    const rows = await cdrs(number, 4);
    const through = rows.filter((c) => c['service'] === 'call_through');
    expect(through).toHaveLength(2);
    expect(through[0]).toMatchObject({ a_number: '+4989000111' });
    expect(through[1]).toMatchObject({ b_number: '+4930777011', parent: through[0]!['id'] });
    expect(Number(through[1]!['t_post'])).toBeGreaterThanOrEqual(1);
  });

  it('call-through: *98 from one of the user’s SIP accounts', async () => {
    const { user, number } = await dialplanUser({});
    const account = await sipAccount(h, user.sid);
    await h.call('POST', '/api/dialplan/callthrough', {
      sid: user.sid,
      body: { phone: '+4930777020', filter: '+4989000222' },
    });
    const far = await trunk();
    // The account dials *98 (digest-authenticated softphone call).
    const star98 = (scenario: string, vars: Record<string, string> = {}) =>
      runSipp({
        scenario,
        remote: `127.0.0.1:${h.sipPort}`,
        localPort: 0,
        service: '*98',
        auth: { username: account.name, password: account.password },
        timeoutSeconds: 20,
        vars: { from_user: account.name, domain: account.domain, ...vars },
      });
    const call = await star98('uac-call');
    expect(call.successful, call.errors).toBe(1);
    const res = await far.done;
    expect(invites(res.messages)).toEqual(['+4930777020']);
    expect(res.messages).toMatch(new RegExp(`^From: .*sip:\\${number}@`, 'm'));
    const rows = await cdrs(number, 2);
    expect(rows.map((c) => [c['service'], c['a_number'] ?? c['b_number']])).toEqual([
      ['call_through', account.name],
      ['call_through', '+4930777020'],
    ]);
    // Used up: *98 again is refused.
    const again = await star98('uac-call-expect-fail', { expected: '404' });
    expect(again.successful, again.errors).toBe(1);
  });

  it('call-reverse: start event while ringing, the filter number’s call takes the ringing call, stop event', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    await updatePhone(h, user.sid, number, { dialplan_enable: true });
    // The user's SIP phone rings too, and never answers.
    const account = await sipAccount(h, user.sid);
    const port = await freePort();
    await bindContact(h, account, port);
    const phone = startSipp({ scenario: 'uas-noanswer', localPort: port, timeoutSeconds: 20 });
    await phone.ready;
    await h.call('POST', '/api/dialplan', {
      sid: user.sid,
      body: { callreverse_enable: true, sip_pool: { add: [account.name] } },
    });
    const before = await h.services.nextEventId(user.sid);
    const events = async () => h.services.eventLog.read(user.sid, before);

    // The first caller rings and talks 1 s once connected.
    const first = carrier(number.slice(1), '+4989000333', { vars: { hold_ms: '1000' } });
    const start = await eventually(
      async () => (await events()).find((e) => e.event === 'dialplan_callreverse_start'),
      'dialplan_callreverse_start',
    );
    expect(start).toMatchObject({ phone_from: '+4989000333', phone_to: number });
    const f = await h.call('POST', '/api/dialplan/callreverse', {
      sid: user.sid,
      body: { filter: '+4989000444' },
    });
    expect(f['status']).toBe('ok');

    // The call-reverse call from the filter number (from the trunk port: the carrier port is taken).
    const second = await carrier(number.slice(1), '+4989000444', {
      localPort: h.trunkPort,
      vars: { hold_ms: '4000' },
    }).done;
    const firstRes = await first.done;
    expect(firstRes.successful, firstRes.errors).toBe(1);
    expect(second.successful, second.errors).toBe(1);
    // The first caller hung up after its hold: the engine ended the other call.
    expect(second.stats['remote_bye(C)']).toBe('1');
    // The phone stopped ringing when the call-reverse call took the call.
    const phoneRes = await phone.done;
    expect(phoneRes.successful, phoneRes.errors).toBe(1);
    expect(phoneRes.messages).toMatch(/^CANCEL sip:/m);

    const stop = await eventually(
      async () => (await events()).find((e) => e.event === 'dialplan_callreverse_stop'),
      'dialplan_callreverse_stop',
    );
    expect(stop).toMatchObject({ phone_from: '+4989000333', phone_to: number });
    expect(await h.services.dialplanV1.callreverseState(user.uuid)).toBeNull();

    const rows = await cdrs(number, 4);
    const root = rows.find((c) => c['service'] === 'call' && c['a_number'] === '+4989000333')!;
    const reverse = rows.find((c) => c['service'] === 'call_reverse')!;
    expect(reverse).toMatchObject({ b_number: '+4989000444', parent: root['id'], root: root['id'] });
    expect(Number(reverse['t_post'])).toBeGreaterThanOrEqual(1);
    expect(Number(root['t_post'])).toBeGreaterThanOrEqual(1);
  });

  it('call-reverse: the caller giving up ends the process with a stop event', async () => {
    const { user, number } = await dialplanUser({ callreverse_enable: true });
    const before = await h.services.nextEventId(user.sid);
    const caller = await startSipp({
      scenario: 'uac-cancel',
      remote: `127.0.0.1:${h.sipPort}`,
      localPort: h.carrierPort,
      service: number.slice(1),
      timeoutSeconds: 20,
      vars: { from_user: '+4989000555', ring_ms: '800' },
    }).done;
    expect(caller.successful, caller.errors).toBe(1);
    const names = await eventually(async () => {
      const e = (await h.services.eventLog.read(user.sid, before)).map((x) => x.event);
      return e.includes('dialplan_callreverse_stop') ? e : null;
    }, 'dialplan_callreverse_stop');
    expect(names.filter((n) => n.startsWith('dialplan_callreverse'))).toEqual([
      'dialplan_callreverse_start',
      'dialplan_callreverse_stop',
    ]);
    expect(await h.services.dialplanV1.callreverseState(user.uuid)).toBeNull();
  });
});
