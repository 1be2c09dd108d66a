import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { processPlan, restartDelayMs, Supervisor, type ProcessSpec } from '../../src/supervisor.js';

class FakeChild extends EventEmitter {
  killed: string[] = [];
  constructor(readonly spec: ProcessSpec) {
    super();
  }
  kill(signal: string): boolean {
    this.killed.push(signal);
    return true;
  }
  ready(): void {
    this.emit('message', { ready: true });
  }
  die(code: number | null, signal: string | null = null): void {
    this.emit('exit', code, signal);
  }
}

let children: FakeChild[];
let lines: string[];
let sup: Supervisor;

function supervisor(specs: ProcessSpec[]): Supervisor {
  return new Supervisor(specs, {
    start: (spec) => {
      const c = new FakeChild(spec);
      children.push(c);
      return c as unknown as ChildProcess;
    },
    log: (l) => lines.push(l),
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  children = [];
  lines = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('processPlan', () => {
  it('gives telephony a process of its own on either database; on PGlite it uses the API process’s database', () => {
    expect(processPlan(true)).toEqual([
      { name: 'api', roles: ['api', 'worker'] },
      { name: 'telephony', roles: ['telephony'] },
    ]);
    expect(processPlan(false)).toEqual([
      { name: 'api', roles: ['api', 'worker'] },
      { name: 'telephony', roles: ['telephony'], databaseBridge: true },
    ]);
  });
});

describe('the supervisor', () => {
  it('restarts a process that died with growing back-off, afresh after a stable run', async () => {
    sup = supervisor(processPlan(true));
    sup.start();
    expect(children.map((c) => c.spec.name)).toEqual(['api', 'telephony']);
    children[0]!.ready();
    children[1]!.ready();
    children[1]!.die(null, 'SIGKILL');
    expect(lines.at(-1)).toMatch(
      /telephony process \(telephony\) ended \(signal SIGKILL\); restarting in 500 ms/,
    );
    await vi.advanceTimersByTimeAsync(499);
    expect(children).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(children[2]!.spec.name).toBe('telephony');
    children[2]!.ready();
    children[2]!.die(1);
    expect(lines.at(-1)).toMatch(/restarting in 1000 ms/);
    await vi.advanceTimersByTimeAsync(1000);
    children[3]!.ready();
    await vi.advanceTimersByTimeAsync(61_000);
    children[3]!.die(1);
    expect(lines.at(-1)).toMatch(/restarting in 500 ms/);
    expect(children[0]!.killed).toEqual([]); // the API process was never touched
  });

  it('ends with the exit code of a process that failed before it ever served, stopping the others', async () => {
    sup = supervisor(processPlan(true));
    sup.start();
    children[0]!.ready();
    children[1]!.die(1);
    expect(children[0]!.killed).toEqual(['SIGTERM']);
    expect(lines).toEqual([]); // the process said why itself
    children[0]!.die(0);
    await expect(sup.done).resolves.toBe(1);
  });

  it('says one start failure once when every process fails for the same cause', async () => {
    sup = supervisor(processPlan(true));
    sup.start();
    const line = 'callplane: cannot reach Redis at redis://127.0.0.1:1 (is redis-server running?)';
    children[1]!.emit('message', { failed: line });
    children[0]!.emit('message', { failed: line });
    children[1]!.die(1);
    children[0]!.die(1);
    expect(lines).toEqual([line]);
    await expect(sup.done).resolves.toBe(1);
  });

  it('names the reason of a restarted process that could not start again', async () => {
    sup = supervisor(processPlan(true));
    sup.start();
    children[0]!.ready();
    children[1]!.ready();
    children[1]!.die(null, 'SIGKILL');
    await vi.advanceTimersByTimeAsync(500);
    children[2]!.emit('message', { failed: 'callplane: port 5060 is in use' });
    children[2]!.die(1);
    expect(lines.at(-1)).toMatch(
      /ended \(exit code 1\): callplane: port 5060 is in use; restarting in 1000 ms/,
    );
  });

  it('stops every process on stop() and restarts none', async () => {
    sup = supervisor([{ name: 'engine', roles: ['api', 'worker', 'telephony'] }]);
    sup.start();
    children[0]!.ready();
    sup.stop();
    expect(children[0]!.killed).toEqual(['SIGTERM']);
    children[0]!.die(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(children).toHaveLength(1);
    await expect(sup.done).resolves.toBe(0);
  });

  it('kills a process that does not stop within the grace period', async () => {
    sup = supervisor([{ name: 'engine', roles: ['api', 'worker', 'telephony'] }]);
    sup.start();
    children[0]!.ready();
    sup.stop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(children[0]!.killed).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('caps the back-off at 30 s', () => {
    expect([0, 1, 2, 5, 6, 40].map(restartDelayMs)).toEqual([500, 1000, 2000, 16_000, 30_000, 30_000]);
  });
});
