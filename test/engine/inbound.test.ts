/**
 * The engine's routing of carrier calls on the fake adapter and a fake
 * clock: ringing strategies, target timeouts and fallbacks, the Call's
 * states and CDRs, hold music, pickup. No sockets, no sleeps.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CAUSE } from '../../src/telephony/causes.js';
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

let n = 0;
function number(): string {
  n += 1;
  return `+4930${String(5550000 + n)}`;
}

function call(to: string): FakeInboundLeg {
  return h.adapter.dialIn({ called: to.slice(1) });
}

async function outbound(i: number): Promise<FakeOutboundLeg> {
  const leg = await h.adapter.nextOutbound(i);
  await settle();
  return leg;
}

describe('carrier calls on the engine (fake adapter, fake clock)', () => {
  it('refuses an unknown number as not found', async () => {
    const caller = call('+4930999999');
    await until(() => caller.state === 'ended', 'refused');
    expect(caller.endCause?.name).toBe('not-found');
    expect(h.adapter.outbound).toHaveLength(0);
  });

  it('linear: a busy target is skipped, the next one answers and is bridged; a CDR per leg', async () => {
    const to = number();
    h.directory.numbers.set(to, {
      owner: 'u1',
      dialplanV2: {
        profiles: [{ linear: { targets: [{ target: '+4930700001' }, { target: '+4930700002' }] } }],
      },
    });
    const caller = call(to);
    const states: string[] = [];
    const c = h.registry.get(caller.call)!;
    c.on('state', (s) => states.push(s));
    const first = await outbound(0);
    expect(first.target).toEqual({ kind: 'trunk', number: '+4930700001' });
    first.ring();
    await settle();
    expect(caller.state).toBe('ringing');
    first.fail('busy');
    const second = await outbound(1);
    expect(second.target).toEqual({ kind: 'trunk', number: '+4930700002' });
    second.answer();
    await until(() => caller.state === 'answered', 'caller answered');
    await until(() => h.adapter.media.bridgedWith(caller) === second, 'bridged');
    second.remoteHangup();
    await until(() => caller.state === 'ended', 'caller hung up');
    expect(caller.endedBy).toBe('local');
    expect(states).toEqual(['ringing', 'answered', 'hangup']);
    expect(c.cause?.q850).toBe(16);
    await until(() => h.cdrs.length === 3, 'three CDRs');
    const root = h.cdrs.find((r) => r.parent === undefined)!;
    expect(root.a_number).toBe('+4930111222');
    expect(
      h.cdrs
        .filter((r) => r.parent === root.id)
        .map((r) => r.b_number)
        .sort(),
    ).toEqual(['+4930700001', '+4930700002']);
    expect(h.registry.get(caller.call)).toBeUndefined();
  });

  it('linear: a target that does not answer in its timeout is cancelled and the next one rings', async () => {
    const to = number();
    h.directory.numbers.set(to, {
      owner: 'u1',
      dialplanV2: {
        profiles: [
          {
            linear: {
              targets: [
                { target: '+4930700011', timeout: 10 },
                { target: '+4930700012', timeout: 10 },
              ],
            },
          },
        ],
      },
    });
    const caller = call(to);
    const first = await outbound(0);
    first.ring();
    await tick(9_999);
    expect(first.state).toBe('ringing');
    await tick(1);
    expect(first.state).toBe('ended');
    expect(first.endCause?.name).toBe('cancelled');
    const second = await outbound(1);
    second.answer();
    await until(() => caller.state === 'answered', 'answered');
  });

  it('parallel: the first answer wins and the other targets are cancelled', async () => {
    const to = number();
    h.directory.numbers.set(to, {
      owner: 'u1',
      dialplanV2: { profiles: [{ parallel: { targets: ['+4930700021', '+4930700022', '+4930700023'] } }] },
    });
    const caller = call(to);
    const legs = [await outbound(0), await outbound(1), await outbound(2)];
    for (const l of legs) l.ring();
    legs[1]!.answer();
    await until(() => caller.state === 'answered', 'answered');
    expect(legs[0]!.endCause?.name).toBe('cancelled');
    expect(legs[2]!.endCause?.name).toBe('cancelled');
    expect(h.adapter.media.bridgedWith(caller)).toBe(legs[1]);
  });

  it('cyclic: rings the targets round again until the action times out, then the timeout fallback', async () => {
    const to = number();
    h.directory.numbers.set(to, {
      owner: 'u1',
      dialplanV2: {
        profiles: [
          {
            cyclic: {
              timeout: 25,
              targets: [
                { target: '+4930700031', timeout: 10 },
                { target: '+4930700032', timeout: 10 },
              ],
            },
          },
        ],
      },
    });
    const caller = call(to);
    const rung: string[] = [];
    for (let i = 0; i < 3; i++) {
      const leg = await outbound(i);
      rung.push((leg.target as { number: string }).number);
      leg.ring();
      await tick(10_000);
    }
    await until(() => caller.state === 'ended', 'caller ended');
    expect(rung).toHaveLength(3);
    expect(rung[2]).toBe(rung[0]);
    expect(caller.endCause?.name).toBe('no-answer');
  });

  it('the caller hanging up while it rings cancels every target', async () => {
    const to = number();
    h.directory.numbers.set(to, {
      owner: 'u1',
      dialplanV2: { profiles: [{ parallel: { targets: ['+4930700041', '+4930700042'] } }] },
    });
    const caller = call(to);
    const a = await outbound(0);
    const b = await outbound(1);
    a.ring();
    caller.remoteHangup();
    await until(() => a.state === 'ended' && b.state === 'ended', 'targets cancelled');
    expect(a.endedBy).toBe('local');
    const c = await h.registry.find(caller.call);
    expect(c).toBeNull();
  });

  it('an account with two registered devices: both ring, the first to answer wins', async () => {
    const to = number();
    h.account('dev_01', 'u2', 2);
    h.directory.numbers.set(to, {
      owner: 'u2',
      dialplanV2: { profiles: [{ parallel: { targets: ['dev_01'] } }] },
    });
    const caller = call(to);
    const d1 = await outbound(0);
    const d2 = await outbound(1);
    expect([h.adapter.contactOf.get(d1), h.adapter.contactOf.get(d2)]).toEqual([
      'sip:dev_01@192.0.2.10:5060',
      'sip:dev_01@192.0.2.11:5060',
    ]);
    d1.ring();
    d2.ring();
    d2.answer();
    await until(() => caller.state === 'answered', 'answered');
    expect(d1.endCause?.name).toBe('cancelled');
  });

  it('an account without a registration is unavailable: the unavailable fallback forwards the call', async () => {
    const to = number();
    h.directory.accounts.set('off_01', 'u3');
    h.directory.numbers.set(to, {
      owner: 'u3',
      phone: { dialplan_enable: true },
      dialplanV1: { action: 'sip', sip: 'off_01', unavailable: { action: 'redirect', phone: '+4930700051' } },
    });
    const caller = call(to);
    const fwd = await outbound(0);
    expect(fwd.target).toEqual({ kind: 'trunk', number: '+4930700051' });
    fwd.answer();
    await until(() => caller.state === 'answered', 'answered');
  });

  it('a target this node cannot ring (no RTP port, no trunk) ends the caller congested (503), not unavailable', async () => {
    const to = number();
    h.directory.numbers.set(to, {
      owner: 'u1',
      dialplanV2: { profiles: [{ linear: { targets: [{ target: '+4930700071' }] } }] },
    });
    const caller = call(to);
    // What the embedded outbound leg does when the node has no RTP port left.
    (await outbound(0)).hangup(CAUSE.congestion);
    await until(() => caller.state === 'ended', 'ended');
    expect(caller.endCause?.name).toBe('congestion');
  });

  it('congestion takes the unavailable fallback', async () => {
    const to = number();
    h.directory.numbers.set(to, {
      owner: 'u1',
      phone: { dialplan_enable: true },
      dialplanV1: {
        action: 'redirect',
        phone: '+4930700072',
        unavailable: { action: 'redirect', phone: '+4930700073' },
      },
    });
    const caller = call(to);
    (await outbound(0)).hangup(CAUSE.congestion);
    const fwd = await outbound(1);
    expect(fwd.target).toEqual({ kind: 'trunk', number: '+4930700073' });
    fwd.answer();
    await until(() => caller.state === 'answered', 'answered');
  });

  it('among several targets congestion counts last: one unavailable makes the call unavailable', async () => {
    const to = number();
    h.directory.numbers.set(to, {
      owner: 'u1',
      dialplanV2: { profiles: [{ parallel: { targets: ['+4930700074', '+4930700075'] } }] },
    });
    const caller = call(to);
    const [a, b] = [await outbound(0), await outbound(1)];
    a.hangup(CAUSE.congestion);
    b.fail('unavailable');
    await until(() => caller.state === 'ended', 'ended');
    expect(caller.endCause?.name).toBe('unavailable');
  });

  it('busy everywhere with a busy fallback of hang-up ends the caller busy', async () => {
    const to = number();
    h.directory.numbers.set(to, {
      owner: 'u1',
      dialplanV2: { profiles: [{ linear: { targets: [{ target: '+4930700061' }] } }] },
    });
    const caller = call(to);
    (await outbound(0)).fail('busy');
    await until(() => caller.state === 'ended', 'ended');
    expect(caller.endCause?.name).toBe('busy');
  });

  it('hold: the other party hears hold music while the call is held, the bridge comes back after', async () => {
    const to = number();
    h.directory.numbers.set(to, {
      owner: 'u1',
      dialplanV2: { profiles: [{ linear: { targets: [{ target: '+4930700071' }] } }] },
    });
    const caller = call(to);
    const callee = await outbound(0);
    callee.answer();
    await until(() => h.adapter.media.bridgedWith(caller) === callee, 'bridged');
    caller.hold(true);
    await until(() => h.adapter.media.bridgedWith(caller) === null && callee.played.length === 1, 'music');
    expect(callee.played[0]![0]).toMatchObject({ kind: 'tone' });
    caller.hold(false);
    await until(() => h.adapter.media.bridgedWith(caller) === callee, 'bridged again');
  });

  it('a bridge that cannot be made ends both legs rather than leaving a silent call', async () => {
    const to = number();
    h.directory.numbers.set(to, {
      owner: 'u1',
      dialplanV2: { profiles: [{ linear: { targets: [{ target: '+4930700081' }] } }] },
    });
    const caller = call(to);
    const callee = await outbound(0);
    // The fake's answer gives media; take it away to make the bridge fail.
    callee.answer();
    callee.media = false;
    await until(() => caller.state === 'ended' && callee.state === 'ended', 'both ended');
    expect(caller.endCause?.name).toBe('failure');
  });

  it('a watching phone picks the ringing call up with **number; its own call ends, the leg joins the ringing one', async () => {
    const to = number();
    const picker = h.account('pick_01', 'u4');
    h.directory.watchers.set(to, ['pick_01']);
    h.directory.numbers.set(to, {
      owner: 'u4',
      dialplanV2: { profiles: [{ linear: { targets: [{ target: '+4930700091' }] } }] },
    });
    const caller = call(to);
    const target = await outbound(0);
    target.ring();
    await settle();
    const pickerLeg = h.adapter.dialFromAccount(picker, `**${to}`);
    await until(() => caller.state === 'answered' && pickerLeg.state === 'answered', 'picked up');
    expect(target.endCause?.name).toBe('cancelled');
    expect(h.adapter.media.bridgedWith(caller)).toBe(pickerLeg);
    const ringing = h.registry.get(caller.call)!;
    expect(ringing.legs).toContain(pickerLeg);
    expect(h.registry.get(pickerLeg.call)).toBeUndefined();
    pickerLeg.remoteHangup();
    await until(() => caller.state === 'ended', 'ended with the picker');
  });

  it('a pickup of a number the phone does not watch is refused', async () => {
    const to = number();
    const picker = h.account('pick_02', 'u4');
    h.directory.numbers.set(to, {
      owner: 'u4',
      dialplanV2: { profiles: [{ linear: { targets: [{ target: '+4930700101' }] } }] },
    });
    call(to);
    (await outbound(0)).ring();
    const pickerLeg = h.adapter.dialFromAccount(picker, `**${to}`);
    await until(() => pickerLeg.state === 'ended', 'refused');
    expect(pickerLeg.endCause).toEqual(CAUSE.notFound);
  });
});
