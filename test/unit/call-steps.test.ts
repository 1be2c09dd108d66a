/**
 * The Call and its step queue (spec 3.24 control queue semantics): states
 * follow the call's own leg, steps run one at a time, `append` / `clear`
 * (replace) / `break` (interrupt), current and last ids, follow-up steps,
 * a failing step ends the call, the call's end aborts the running step.
 */
import { describe, expect, it } from 'vitest';
import { Call } from '../../src/telephony/call/call.js';
import { aborted, step, type Step } from '../../src/telephony/call/steps.js';
import { FakeAdapter } from '../fakes/fake-adapter.js';

function newCall(whenIdle: 'hangup' | 'wait' = 'wait') {
  const adapter = new FakeAdapter();
  const errors: string[] = [];
  const call = new Call({
    uuid: 'c1',
    node: 'n1',
    parties: { incoming: false, from: '+4930111', to: '+4930222', clip: null, clir: false },
    signaling: adapter.signaling,
    whenIdle,
    onStepError: (_e, s) => errors.push(s),
  });
  return { adapter, call, errors };
}

/** A step that runs until `release` is called or it is aborted. */
function held(kind: string, id?: string) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  const log: string[] = [];
  const s: Step = step(
    kind,
    async (signal) => {
      log.push('start');
      const r = await Promise.race([done.then(() => 'done' as const), aborted(signal)]);
      log.push(r);
    },
    id,
  );
  return { step: s, release: () => release(), log };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Call', () => {
  it('starts in init, follows its own leg: calling, ringing, answered, hangup with the cause', async () => {
    const { adapter, call } = newCall();
    const states: string[] = [];
    call.on('state', (s) => states.push(s));
    expect(call.state).toBe('init');
    const leg = call.originate({
      target: { kind: 'trunk', number: '+4930222' },
      from: { number: '+4930111', display: null, clir: false },
    });
    expect(call.own).toBe(leg);
    const out = await adapter.nextOutbound();
    expect(out.call).toBe('c1');
    out.ring();
    out.answer();
    out.fail('busy'); // ignored after the answer
    out.remoteHangup();
    expect(states).toEqual(['calling', 'ringing', 'answered', 'hangup']);
    expect(call.cause?.q850).toBe(16);
    expect(call.answeredAt).not.toBeNull();
    expect(call.endedAt).not.toBeNull();
  });

  it('early media is progress; ringing after it is news, progress after ringing is not', async () => {
    const { adapter, call } = newCall();
    const states: string[] = [];
    call.on('state', (s) => states.push(s));
    call.originate({
      target: { kind: 'trunk', number: '+1' },
      from: { number: null, display: null, clir: true },
    });
    const out = await adapter.nextOutbound();
    out.early();
    out.ring();
    out.early();
    expect(states).toEqual(['calling', 'progress', 'ringing']);
  });

  it('hangup ends every leg and the call; legs that join later belong to it', async () => {
    const { adapter, call } = newCall();
    call.originate({
      target: { kind: 'trunk', number: '+1' },
      from: { number: null, display: null, clir: false },
    });
    call.originate({
      target: { kind: 'trunk', number: '+2' },
      from: { number: null, display: null, clir: false },
    });
    const [a, b] = adapter.outbound;
    expect(call.legs).toEqual([a, b]);
    call.hangup({ q850: 17, name: 'busy' });
    expect(a!.state).toBe('ended');
    expect(b!.state).toBe('ended');
    expect(call.state).toBe('hangup');
    expect(call.cause).toEqual({ q850: 17, name: 'busy' });
  });

  it('handOver gives the own leg to another call and ends this one without hanging the leg up', async () => {
    const { adapter, call } = newCall();
    const other = newCall().call;
    adapter.signaling.onInbound(() => undefined);
    await adapter.start();
    const leg = adapter.dialIn({ called: '123' });
    call.adopt(leg);
    call.handOver(other);
    expect(call.state).toBe('hangup');
    expect(leg.state).not.toBe('ended');
    expect(other.legs).toContain(leg);
  });
});

describe('StepQueue (spec 3.24 queue append | clear | break)', () => {
  it('runs steps in order, one at a time, with current and last ids', async () => {
    const { call } = newCall();
    const a = held('a', 'first');
    const b = held('b', 'second');
    call.steps.append([a.step, b.step]);
    await tick();
    expect(call.steps.current?.id).toBe('first');
    expect(b.log).toEqual([]);
    a.release();
    await tick();
    expect(call.steps.lastId).toBe('first');
    expect(call.steps.current?.id).toBe('second');
    b.release();
    await tick();
    expect(call.steps.current).toBeNull();
    expect(call.steps.lastId).toBe('second');
  });

  it('clear replaces what waits but lets the running step finish', async () => {
    const { call } = newCall();
    const a = held('a', 'a');
    const b = held('b', 'b');
    const c = held('c', 'c');
    call.steps.append([a.step, b.step]);
    await tick();
    call.steps.replace([c.step]);
    a.release();
    await tick();
    expect(a.log).toEqual(['start', 'done']);
    expect(call.steps.current?.id).toBe('c');
    expect(b.log).toEqual([]);
  });

  it('break aborts the running step at once and runs the new ones', async () => {
    const { call } = newCall();
    const a = held('a', 'a');
    const c = held('c', 'c');
    call.steps.append([a.step]);
    await tick();
    call.steps.interrupt([c.step]);
    await tick();
    expect(a.log).toEqual(['start', 'aborted']);
    expect(call.steps.current?.id).toBe('c');
  });

  it('an abort tells each listener once, skips removed ones, and reports one that throws', async () => {
    const { call, errors } = newCall();
    const heard: string[] = [];
    let seen: { aborted: boolean } | null = null;
    const s = step('listen', async (signal) => {
      seen = signal;
      const gone = () => heard.push('removed');
      signal.addEventListener('abort', () => heard.push('first'), { once: true });
      signal.addEventListener('abort', () => {
        throw new Error('listener bug');
      });
      signal.addEventListener('abort', gone);
      signal.addEventListener('abort', () => heard.push('last'));
      signal.removeEventListener('abort', gone);
      await aborted(signal);
    });
    call.steps.append([s]);
    await tick();
    call.steps.interrupt([]);
    call.steps.interrupt([]);
    await tick();
    expect(heard).toEqual(['first', 'last']);
    expect(seen!.aborted).toBe(true);
    expect(errors).toEqual(['abort']);
  });

  it('follow-up steps run before the rest of the queue', async () => {
    const { call } = newCall();
    const order: string[] = [];
    call.steps.append([
      step('a', async () => {
        order.push('a');
        return [step('a2', async () => void order.push('a2'))];
      }),
      step('b', async () => void order.push('b')),
    ]);
    await tick();
    await tick();
    expect(order).toEqual(['a', 'a2', 'b']);
  });

  it('a failing step ends the call with a failure cause and reports the step', async () => {
    const { call, errors } = newCall();
    call.steps.append([
      step('boom', async () => {
        throw new Error('broken');
      }),
    ]);
    await tick();
    expect(errors).toEqual(['boom']);
    expect(call.state).toBe('hangup');
    expect(call.cause?.name).toBe('failure');
  });

  it('an empty queue hangs an engine call up, and a call-API call waits', async () => {
    const eng = newCall('hangup').call;
    eng.steps.append([step('a', async () => undefined)]);
    await tick();
    expect(eng.state).toBe('hangup');
    const api = newCall('wait').call;
    api.steps.append([step('a', async () => undefined)]);
    await tick();
    expect(api.state).toBe('init');
  });

  it('the call ending aborts the running step and drops the rest', async () => {
    const { call } = newCall();
    const a = held('a');
    const b = held('b');
    call.steps.append([a.step, b.step]);
    await tick();
    call.hangup();
    await tick();
    expect(a.log).toEqual(['start', 'aborted']);
    expect(b.log).toEqual([]);
    call.steps.append([held('late').step]);
    expect(call.steps.size).toBe(0);
  });
});
