/**
 * Voice features and the trunk gate on the engine, fake adapter and fake
 * clock: IVR timeouts and navigation, the voice box, unlock codes, calls
 * from SIP accounts (internal, carrier with the user's number, call
 * filter, call limit, credit cut-off).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseCallFilter } from '../../src/domain/policy/call-filter.js';
import { parseZoneFilter } from '../../src/domain/policy/zone-filter.js';
import { re2CallFilterCompiler } from '../../src/lib/re2-call-filter.js';
import type { FakeInboundLeg, FakeOutboundLeg } from '../fakes/fake-adapter.js';
import { engineHarness, type EngineHarness } from '../fakes/engine-harness.js';
import { settle, tick, until, useEngineClock } from './clock.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await engineHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  useEngineClock();
  h.adapter.outbound.length = 0;
  h.cdrs.length = 0;
});
afterEach(() => {
  h.registry.hangupAll();
  vi.useRealTimers();
});

async function untilAsync(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

let n = 0;
const number = (): string => `+4940${String(5550000 + ++n)}`;
const call = (to: string): FakeInboundLeg => h.adapter.dialIn({ called: to.slice(1) });
const outbound = async (i: number): Promise<FakeOutboundLeg> => {
  const leg = await h.adapter.nextOutbound(i);
  await settle();
  return leg;
};
const playedRefs = (leg: FakeInboundLeg): string[] =>
  leg.played.flat().map((s) => (s.kind === 'media' ? ('uuid' in s.ref ? s.ref.uuid : s.ref.name) : s.kind));

describe('IVR (spec 5)', () => {
  it('repeats the announcement after each timeout without a key', async () => {
    const to = number();
    h.voice.announcements.add('menu');
    h.voice.ivrs.set('ivr-1', { announcement: 'menu', timeout: { seconds: 5, action: 'repeat' } });
    h.directory.numbers.set(to, { owner: 'u1', phone: { ivr: 'ivr-1' } });
    const caller = call(to);
    await until(() => caller.state === 'answered', 'answered');
    await tick(1000); // the announcement (1 s)
    expect(playedRefs(caller)).toEqual(['menu']);
    await tick(5000);
    expect(playedRefs(caller)).toEqual(['menu', 'menu']);
    await tick(6000);
    expect(playedRefs(caller)).toEqual(['menu', 'menu', 'menu']);
  });

  it('follows digits into a second IVR and redirects to a number through the trunk', async () => {
    const to = number();
    h.voice.announcements.add('main');
    h.voice.announcements.add('sales');
    const main = '5a1e5000-8fed-11e2-93fe-0024e8f90a10';
    const sales = '5a1e5000-8fed-11e2-93fe-0024e8f90a11';
    h.voice.ivrs.set(main, { announcement: 'main', '1': sales });
    h.voice.ivrs.set(sales, { announcement: 'sales', '2': '+4940777002' });
    h.directory.numbers.set(to, { owner: 'u1', phone: { ivr: main } });
    const caller = call(to);
    await until(() => caller.state === 'answered', 'answered');
    h.adapter.media.digits(caller, '1');
    await settle();
    expect(playedRefs(caller)).toEqual(['main', 'sales']);
    h.adapter.media.digits(caller, '2');
    const fwd = await outbound(0);
    expect(fwd.target).toEqual({ kind: 'trunk', number: '+4940777002' });
    expect(playedRefs(caller).at(-1)).toBe('tone'); // the ring tone while it rings
    fwd.answer();
    await until(() => h.adapter.media.bridgedWith(caller) === fwd, 'bridged');
  });
});

describe('voice box (spec 3.9, 4.1 record)', () => {
  it('plays the announcement and a beep, records until silence, stores the message and names it in the CDR', async () => {
    const to = number();
    h.voice.announcements.add('greet');
    h.directory.numbers.set(to, { owner: 'u1', phone: { recording_enable: true, announcement: 'greet' } });
    const caller = call(to);
    await until(() => caller.state === 'answered', 'answered');
    await tick(1000); // greeting
    await tick(250); // beep
    expect(caller.played.map((p) => p[0]!.kind)).toEqual(['media', 'tone']);
    caller.saying = 'speech';
    await tick(3000);
    caller.saying = null;
    await tick(8100); // VOICEMAIL.silenceSeconds after the speech
    await until(() => caller.state === 'ended', 'hung up after the message');
    expect(h.voice.saved).toHaveLength(1);
    expect(h.voice.saved[0]).toMatchObject({ owner: 'u1', from: '+4930111222', to });
    await until(() => h.cdrs.length === 1, 'the CDR');
    expect(h.cdrs[0]!.recording_id).toBe('rec-1');
  });
});

describe('unlock codes (spec 3.9)', () => {
  it('three wrong codes end the call, the right one unlocks the number', async () => {
    const to = number();
    h.voice.unlockCodes.set(to, '1234');
    h.directory.numbers.set(to, { owner: 'u1', phone: { unlock_code: '1234' } });
    const wrong = call(to);
    await until(() => wrong.state === 'answered', 'answered');
    for (let i = 0; i < 3; i++) {
      h.adapter.media.digits(wrong, '9999');
      await tick(1000); // wrong-pin prompt
      await tick(1000); // next enter-pin prompt
    }
    await until(() => wrong.state === 'ended', 'ended');
    expect(wrong.endCause?.name).toBe('rejected');
    expect(h.voice.unlocked).toEqual([]);
    const right = call(to);
    await until(() => right.state === 'answered', 'answered');
    h.adapter.media.digits(right, '1234');
    await tick(1000);
    await until(() => right.state === 'ended', 'ended');
    expect(h.voice.unlocked).toEqual([to]);
  });
});

describe('calls from SIP accounts', () => {
  it('another account of the platform is rung directly, not through the carrier', async () => {
    const a = h.account('alice_01', 'ua');
    h.account('bob_01', 'ub');
    const leg = h.adapter.dialFromAccount(a, 'bob_01');
    const bob = await outbound(0);
    expect(bob.target).toEqual({ kind: 'account', account: 'bob_01' });
    expect(bob.request.from.number).toBe('alice_01');
    bob.answer();
    await until(() => leg.state === 'answered', 'answered');
  });

  it('a carrier call shows the user’s number and is refused by the partner’s call filter', async () => {
    const a = h.account('carol_01', 'uc');
    h.directory.numbers.set('+4940600001', { owner: 'uc' });
    const ok = h.adapter.dialFromAccount(a, '+4940888001');
    const out = await outbound(0);
    expect(out.target).toEqual({ kind: 'trunk', number: '+4940888001' });
    expect(out.request.from.number).toBe('+4940600001');
    ok.remoteHangup();
    h.directory.policies.set('uc', {
      callFilter: parseCallFilter(
        [{ operator: 'match', key: '^\\+4940888', pass: false }],
        re2CallFilterCompiler,
      ),
    });
    const refused = h.adapter.dialFromAccount(a, '+4940888002');
    await until(() => refused.state === 'ended', 'refused');
    expect(refused.endCause?.name).toBe('call-filter');
    expect(h.adapter.outbound).toHaveLength(1);
  });

  it('the usergroup’s call limit refuses the call over it', async () => {
    const a = h.account('dave_01', 'ud');
    h.directory.numbers.set('+4940600002', { owner: 'ud' });
    h.directory.policies.set('ud', { usergroup: 'grp-limit', callLimit: 1 });
    const first = h.adapter.dialFromAccount(a, '+4940888011');
    (await outbound(0)).answer();
    await until(() => first.state === 'answered', 'first answered');
    const second = h.adapter.dialFromAccount(a, '+4940888012');
    await until(() => second.state === 'ended', 'second refused');
    expect(second.endCause?.name).toBe('call-limit');
    first.remoteHangup();
    await untilAsync(async () => (await h.limiter.active('grp-limit')) === 0, 'the slot freed');
    const third = h.adapter.dialFromAccount(a, '+4940888013');
    (await outbound(1)).answer();
    await until(() => third.state === 'answered', 'third answered after the first ended');
  });

  it('zone billing debits the credit each interval and cuts the call when it runs out', async () => {
    const a = h.account('erin_01', 'ue');
    h.directory.numbers.set('+4940600003', { owner: 'ue' });
    const zone = parseZoneFilter([{ prefix: ['+49'], cost: 100, increment: 60 }]);
    h.directory.policies.set('ue', { usergroup: 'grp-credit', zoneFilter: zone });
    await h.credit.add('grp-credit', 250);
    const leg = h.adapter.dialFromAccount(a, '+4940888021');
    const out = await outbound(0);
    out.answer();
    await until(() => leg.state === 'answered', 'answered');
    await untilAsync(async () => (await h.credit.get('grp-credit')) === 150, 'the first tick at the answer');
    await tick(60_000);
    expect(await h.credit.get('grp-credit')).toBe(50);
    await tick(60_000);
    await until(() => leg.state === 'ended' && out.state === 'ended', 'cut off');
    expect(leg.endCause?.name).toBe('credit-exhausted');
  });
});
