/**
 * The engine behaviour tests' fake clock: timers and Date are faked, real
 * I/O (Redis) still runs, and these move one or the other.
 */
import { vi } from 'vitest';

/** Fakes timers and Date (not setImmediate: Redis replies and settle() need it). */
export function useEngineClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}

/** Lets promises and real I/O (Redis) run without moving the fake clock. */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** Moves the fake clock, running what falls due (and the promises it starts). */
export async function tick(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await settle();
}

/** Waits (in real time: Redis answers on its own) until `check` holds; the fake clock stands still. */
export async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}
