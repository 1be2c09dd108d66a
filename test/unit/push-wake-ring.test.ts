/**
 * Ringing an account whose phones sleep (RFC 8599, embedded/account-leg.ts
 * ringAccount) on fake legs, a fake location store and a fake DeviceWake
 * with a fake clock: live devices ring at once; sleeping ones are pushed,
 * waited for while the caller hears ringing, rung when they register, and
 * the wait ends at its time, on the answer or when the caller gives up.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OriginateRequest } from '../../src/telephony/adapter.js';
import type {
  DeviceWake,
  LocationBinding,
  LocationStore,
  WakeableDevice,
} from '../../src/telephony/environment.js';
import { CAUSE } from '../../src/telephony/causes.js';
import { AccountLeg, ringAccount } from '../../src/telephony/embedded/account-leg.js';
import { silentLogger } from '../../src/telephony/engine/logger.js';
import { FakeOutboundLeg } from '../fakes/fake-adapter.js';

const req: OriginateRequest = {
  call: 'call-1',
  target: { kind: 'account', account: 'alice' },
  from: { number: '+4930111', display: null, clir: false },
};

const binding = (contact: string): LocationBinding => ({
  contact,
  source: '127.0.0.1:5060',
  transport: 'udp',
  expiresAt: Date.now() + 60_000,
  callId: contact,
  cseq: 1,
});
const device = (prid: string): WakeableDevice => ({
  provider: 'apns',
  prid,
  param: 'ABCD123456.com.example.voip',
  contact: `sip:alice@10.0.0.1;pn-prid=${prid}`,
  registeredAt: 0,
});

class World {
  bindings: LocationBinding[] = [];
  sleepers: WakeableDevice[] = [];
  took = new Set<string>();
  listeners = new Set<() => void>();
  pushes: Array<{ devices: string[]; caller: string }> = [];
  branches: FakeOutboundLeg[] = [];
  location: LocationStore = {
    bind: async () => [...this.bindings],
    unbind: async () => undefined,
    unbindAll: async () => undefined,
    bindings: async () => [...this.bindings],
  };
  wake: DeviceWake = {
    waitMs: 10_000,
    supports: () => true,
    registered: async () => undefined,
    devices: async () => [...this.sleepers],
    wake: async (_a, devices, call) => {
      this.pushes.push({ devices: devices.map((d) => d.prid), caller: call.caller });
      return devices.map((d) => d.prid).filter((p) => this.took.has(p));
    },
    onRegistered: async (_a, l) => {
      this.listeners.add(l);
      return () => this.listeners.delete(l);
    },
  };
  ring(leg: AccountLeg<FakeOutboundLeg>, wake = true): void {
    ringAccount(leg, req, {
      location: this.location,
      wake: wake ? this.wake : null,
      log: silentLogger,
      branch: (b) => {
        const l = new FakeOutboundLeg({ ...req, target: { kind: 'sip', uri: b.contact } as never });
        this.branches.push(l);
        return l;
      },
    });
  }
  /** A woken device registers. */
  registers(prid: string): void {
    this.bindings.push(binding(`sip:alice@10.0.0.2;pn-prid=${prid}`));
    for (const l of [...this.listeners]) l();
  }
}

const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ringing an account with sleeping phones (RFC 8599)', () => {
  it('rings live devices at once and pushes nothing when nobody sleeps', async () => {
    const w = new World();
    w.bindings = [binding('sip:alice@10.0.0.1')];
    const leg = new AccountLeg<FakeOutboundLeg>('call-1', { kind: 'account', account: 'alice' });
    w.ring(leg);
    await settle();
    expect(w.branches).toHaveLength(1);
    expect(w.pushes).toHaveLength(0);
    expect(w.listeners.size).toBe(0);
  });

  it('does not push a device whose binding is live (its pn-prid in a live contact)', async () => {
    const w = new World();
    w.bindings = [binding('sip:alice@10.0.0.1;pn-provider=apns;pn-prid=aa11')];
    w.sleepers = [device('aa11')];
    const leg = new AccountLeg<FakeOutboundLeg>('call-1', { kind: 'account', account: 'alice' });
    w.ring(leg);
    await settle();
    expect(w.branches).toHaveLength(1);
    expect(w.pushes).toHaveLength(0);
  });

  it('waits ringing for a woken phone and rings it when it registers; the wait ends with it', async () => {
    const w = new World();
    w.sleepers = [device('aa11')];
    w.took.add('aa11');
    const leg = new AccountLeg<FakeOutboundLeg>('call-1', { kind: 'account', account: 'alice' });
    const progress: string[] = [];
    leg.on('progress', (k) => progress.push(k));
    w.ring(leg);
    await settle();
    expect(leg.state).toBe('ringing');
    expect(progress).toEqual(['ringing']);
    expect(w.pushes).toEqual([{ devices: ['aa11'], caller: '+4930111' }]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(leg.state).toBe('ringing');
    w.registers('aa11');
    await settle();
    expect(w.branches).toHaveLength(1);
    expect(w.listeners.size).toBe(0);
    w.branches[0]!.answer();
    expect(leg.state).toBe('answered');
    expect(leg.winner).toBe(w.branches[0]);
  });

  it('ends unavailable after the wait when the woken phone never registers', async () => {
    const w = new World();
    w.sleepers = [device('bb22')];
    w.took.add('bb22');
    const leg = new AccountLeg<FakeOutboundLeg>('call-1', { kind: 'account', account: 'alice' });
    w.ring(leg);
    await settle();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(leg.state).toBe('ringing');
    await vi.advanceTimersByTimeAsync(1);
    expect(leg.state).toBe('ended');
    expect(leg.endCause).toEqual(CAUSE.unavailable);
    expect(w.listeners.size).toBe(0);
  });

  it('does not wait when the push service took no push', async () => {
    const w = new World();
    w.sleepers = [device('cc33')];
    const leg = new AccountLeg<FakeOutboundLeg>('call-1', { kind: 'account', account: 'alice' });
    w.ring(leg);
    await settle();
    expect(w.pushes).toHaveLength(1);
    expect(leg.state).toBe('ended');
    expect(leg.endCause).toEqual(CAUSE.unavailable);
  });

  it('keeps a live device ringing beside the wait; a busy live device does not end the wait', async () => {
    const w = new World();
    w.bindings = [binding('sip:alice@10.0.0.9')];
    w.sleepers = [device('dd44')];
    w.took.add('dd44');
    const leg = new AccountLeg<FakeOutboundLeg>('call-1', { kind: 'account', account: 'alice' });
    w.ring(leg);
    await settle();
    expect(w.branches).toHaveLength(1);
    w.branches[0]!.fail('busy');
    expect(leg.state).toBe('ringing');
    w.registers('dd44');
    await settle();
    // The live one is not rung twice, the woken one joins.
    expect(w.branches).toHaveLength(2);
    w.branches[1]!.fail('no-answer');
    // Every device failed and none is awaited: busy is the most telling cause.
    expect(leg.state).toBe('ended');
    expect(leg.endCause).toEqual(CAUSE.busy);
  });

  it('stops waiting when the caller gives up; a late REGISTER rings nothing', async () => {
    const w = new World();
    w.sleepers = [device('ee55')];
    w.took.add('ee55');
    const leg = new AccountLeg<FakeOutboundLeg>('call-1', { kind: 'account', account: 'alice' });
    w.ring(leg);
    await settle();
    leg.hangup(CAUSE.cancelled);
    expect(leg.state).toBe('ended');
    expect(w.listeners.size).toBe(0);
    w.registers('ee55');
    await settle();
    expect(w.branches).toHaveLength(0);
  });

  it('hides a withheld caller from the push', async () => {
    const w = new World();
    w.sleepers = [device('ff66')];
    const leg = new AccountLeg<FakeOutboundLeg>('call-1', { kind: 'account', account: 'alice' });
    ringAccount(
      leg,
      { ...req, from: { number: '+4930111', display: null, clir: true } },
      { location: w.location, wake: w.wake, log: silentLogger, branch: () => null },
    );
    await settle();
    expect(w.pushes[0]!.caller).toBe('');
  });
});
