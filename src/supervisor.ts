/**
 * `callplane start` as a supervisor (issue 14, roles isolated): the roles
 * run in child processes that it starts again, with back-off, when one
 * dies. On PostgreSQL the telephony role (SIP + RTP) has a process of its
 * own, so API load — CPU, heap, a stalled event loop — never delays a call's
 * signalling or media, and a crash of one does not take the other down. On
 * the embedded PGlite database, which one process owns, the API's process
 * owns it and serves it to the telephony process over a Unix socket
 * (store/pglite-bridge.ts), so the roles are apart there too; a telephony
 * process whose database owner restarts waits for it.
 *
 * A child that fails before it ever got ready (a port in use, no Redis, a
 * bad setting) ends the supervisor with its exit code: nothing to retry.
 * Such a child sends its one-line reason ({ failed }) instead of printing
 * it; the supervisor prints the first one only, since the others, stopped
 * or failing for the same cause, would repeat it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Role } from './main.js';

export interface ProcessSpec {
  name: string;
  roles: Role[];
  /** Uses the embedded database of the API's process through its socket (store/pglite-bridge.ts). */
  databaseBridge?: boolean;
}

/**
 * Which processes `start` runs: the telephony role apart from the API on
 * either database; on embedded PGlite it reaches the database through the
 * API process, which owns it.
 */
export function processPlan(sharedDatabase: boolean): ProcessSpec[] {
  return [
    { name: 'api', roles: ['api', 'worker'] },
    sharedDatabase
      ? { name: 'telephony', roles: ['telephony'] }
      : { name: 'telephony', roles: ['telephony'], databaseBridge: true },
  ];
}

/** Back-off before restart n (0-based) of a process that keeps dying: 0.5 s doubling to 30 s. */
export function restartDelayMs(failures: number): number {
  return Math.min(30_000, 500 * 2 ** Math.min(failures, 16));
}

/** A process that ran this long before it died starts its back-off afresh. */
const STABLE_MS = 60_000;
/** How long children get to stop before they are killed. */
const STOP_GRACE_MS = 20_000;

export interface SupervisorOptions {
  /** Starts a child for the spec; it sends { ready: true } over IPC once it serves. */
  start(spec: ProcessSpec): ChildProcess;
  log(line: string): void;
  now?: () => number;
}

interface Slot {
  spec: ProcessSpec;
  child: ChildProcess | null;
  everReady: boolean;
  /** Why it could not start, as it said over IPC. */
  failure: string | null;
  startedAt: number;
  failures: number;
  timer: NodeJS.Timeout | null;
}

export class Supervisor {
  private readonly slots: Slot[];
  private stopping = false;
  private exitCode: number | null = null;
  private resolveDone!: (code: number) => void;
  /** Resolves with the exit code the supervisor should end with. */
  readonly done = new Promise<number>((r) => (this.resolveDone = r));

  constructor(
    specs: ProcessSpec[],
    private readonly opts: SupervisorOptions,
  ) {
    this.slots = specs.map((spec) => ({
      spec,
      child: null,
      everReady: false,
      failure: null,
      startedAt: 0,
      failures: 0,
      timer: null,
    }));
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  start(): void {
    for (const slot of this.slots) this.launch(slot);
  }

  /** Stops every child (SIGTERM, then SIGKILL after a grace period). */
  stop(code = 0): void {
    if (this.stopping) return;
    this.stopping = true;
    this.exitCode = code;
    for (const slot of this.slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      slot.child?.kill('SIGTERM');
    }
    const kill = setTimeout(() => {
      for (const slot of this.slots) slot.child?.kill('SIGKILL');
    }, STOP_GRACE_MS);
    kill.unref();
    this.settleIfAllGone();
  }

  private launch(slot: Slot): void {
    slot.timer = null;
    if (this.stopping) return;
    const child = this.opts.start(slot.spec);
    slot.child = child;
    slot.failure = null;
    slot.startedAt = this.now();
    child.on('message', (m: unknown) => {
      if (typeof m !== 'object' || m === null) return;
      const { ready, failed } = m as { ready?: unknown; failed?: unknown };
      if (ready === true) slot.everReady = true;
      if (typeof failed === 'string') slot.failure = failed;
    });
    child.once('exit', (code, signal) => this.exited(slot, child, code, signal));
  }

  private exited(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.child !== child) return;
    slot.child = null;
    if (this.stopping) {
      this.settleIfAllGone();
      return;
    }
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (!slot.everReady) {
      // It never served: a setting or the environment is wrong, and a restart would fail the same
      // way. A process that exits says why itself; one killed by a signal cannot.
      if (slot.failure !== null) this.opts.log(slot.failure);
      else if (signal) this.opts.log(`callplane: ${slot.spec.name} process failed to start (${how})`);
      this.stop(code && code !== 0 ? code : 1);
      return;
    }
    if (this.now() - slot.startedAt >= STABLE_MS) slot.failures = 0;
    const delay = restartDelayMs(slot.failures);
    slot.failures += 1;
    const why = slot.failure !== null ? `: ${slot.failure}` : '';
    this.opts.log(
      `callplane: ${slot.spec.name} process (${slot.spec.roles.join('+')}) ended (${how})${why}; restarting in ${delay} ms`,
    );
    slot.timer = setTimeout(() => this.launch(slot), delay);
  }

  private settleIfAllGone(): void {
    if (this.slots.every((s) => s.child === null)) this.resolveDone(this.exitCode ?? 0);
  }
}

/** Starts a role process of this CLI (the hidden `serve` command) with an IPC channel. */
export function forkRoles(bin: string, spec: ProcessSpec): ChildProcess {
  return fork(bin, ['serve', spec.roles.join(','), ...(spec.databaseBridge ? ['--db-bridge'] : [])], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}
