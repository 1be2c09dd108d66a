/**
 * The crash reaper (issue 14, domain/call/recovery.ts): every telephony
 * node looks for processes whose heartbeat stopped — another node's, or its
 * own before a restart — and settles what they left: the far end of each
 * answered leg gets its hang-up (a BYE for SIP) through the adapter's
 * RecoveryPort, a recording in progress becomes a recording object with
 * what was said up to the crash, the leg's CDR is written (cause 41, ended
 * when the process was last seen), and the call's live summary goes. The
 * conference rooms the process mixed end at once (their subscribers are
 * told the members left and the conference stopped), and the
 * call-API calls the process held (answered or not) are stored as ended with
 * cause 41 and their owners get the last call_update.
 *
 * One node claims a dead process at a time; an entry that fails stays in
 * the journal and is tried again when the claim lapses.
 */
import type { DeadProcess, PendingRecording, RecoveryEntry } from '../domain/call/recovery.js';
import { CRASH_Q850, crashedCdr } from '../domain/call/recovery.js';
import type { LiveCallStore } from '../domain/call/live-call.js';
import type { Logger, RecoveryPort } from './adapter.js';
import type { CdrSink } from './engine/cdr-writer.js';

export interface DeadProcessClaims {
  claimDead(): Promise<DeadProcess | null>;
  settle(dead: DeadProcess, key: string): Promise<void>;
  release(dead: DeadProcess): Promise<void>;
}

export interface CrashReaperDeps {
  claims: DeadProcessClaims;
  port: RecoveryPort;
  cdrSink: Pick<CdrSink, 'record'>;
  /** Turns a partial recording into a recording object; answers its uuid (null: nothing worth keeping). */
  saveRecording(r: PendingRecording): Promise<string | null>;
  liveCalls: LiveCallStore | null;
  /** Ends the conference rooms the dead process mixed (their node id is the process id); answers how many. */
  conferences?: { endNode(process: string): Promise<number> };
  /**
   * Ends the call-API calls of a dead process (engine/call-api.ts
   * endCrashedApiCalls): ended at `endMs`, `recordings` the recordings kept
   * by call. Absent: no call API.
   */
  callApi?: (process: string, endMs: number, recordings: ReadonlyMap<string, string>) => Promise<number>;
  log: Logger;
  now?: () => number;
}

/** Entries of one dead process settled at once. */
const BATCH = 32;

export class CrashReaper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly d: CrashReaperDeps) {}

  /** Sweeps now and then every `intervalMs`. */
  start(intervalMs = 5000): void {
    if (this.timer) return;
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Settles every dead process found; answers how many legs were settled. One sweep at a time. */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sweepAll(): Promise<number> {
    let settled = 0;
    try {
      for (;;) {
        const dead = await this.d.claims.claimDead();
        if (!dead) break;
        settled += await this.settleProcess(dead);
      }
    } catch (err) {
      this.d.log.warn({ err }, 'crash recovery sweep failed');
    }
    return settled;
  }

  private async settleProcess(dead: DeadProcess): Promise<number> {
    // Its rooms go at once (their calls are among the entries below); their
    // leases would end them later anyway, so a failure here only delays that.
    const rooms = await this.d.conferences?.endNode(dead.process).catch((err: unknown) => {
      this.d.log.warn({ err, process: dead.process }, 'conference rooms of a dead process not ended');
      return 0;
    });
    if (rooms)
      this.d.log.warn({ process: dead.process, rooms }, 'a telephony process died: its conferences ended');
    const entries = [...dead.entries];
    if (entries.length > 0)
      this.d.log.warn(
        { process: dead.process, legs: entries.length, lastSeenMs: dead.lastSeenMs },
        'a telephony process died: ending its calls',
      );
    let settled = 0;
    const recordings = new Map<string, string>();
    for (let i = 0; i < entries.length; i += BATCH) {
      const done = await Promise.all(
        entries.slice(i, i + BATCH).map(([key, e]) => this.settleEntry(dead, key, e, recordings)),
      );
      settled += done.filter(Boolean).length;
    }
    if (this.d.callApi) {
      const now = (this.d.now ?? Date.now)();
      try {
        await this.d.callApi(dead.process, Math.min(dead.lastSeenMs ?? now, now), recordings);
      } catch (err) {
        // The claim lapses and a later pass tries the calls left again.
        this.d.log.warn({ err, process: dead.process }, 'call API calls of a crashed process not ended');
        return settled;
      }
    }
    await this.d.claims.release(dead);
    return settled;
  }

  private async settleEntry(
    dead: DeadProcess,
    key: string,
    e: RecoveryEntry,
    recordings: Map<string, string>,
  ): Promise<boolean> {
    const log = this.d.log;
    // The far end's BYE goes on beside the CDR: a far end that never answers it
    // (its transaction times out after 32 s) must not hold the CDR back.
    const ending = e.snapshot
      ? this.d.port
          .terminate(e.snapshot, { q850: CRASH_Q850 })
          .catch((err: unknown) => log.warn({ err, call: e.call }, 'far end of a crashed call not ended'))
      : Promise.resolve();
    let recordingId: string | null = null;
    if (e.recording) {
      recordingId = await this.d.saveRecording(e.recording).catch((err: unknown) => {
        log.warn({ err, call: e.call }, 'recording of a crashed call not kept');
        return null;
      });
      if (recordingId) recordings.set(e.call, recordingId);
    }
    const now = (this.d.now ?? Date.now)();
    try {
      await this.d.cdrSink.record(crashedCdr(e, dead.lastSeenMs, now, recordingId));
    } catch (err) {
      log.error({ err, call: e.call, cdr: e.cdr.id }, 'CDR of a crashed call not written');
      await ending;
      return false;
    }
    const summary = await this.d.liveCalls?.get(e.call).catch(() => null);
    if (summary) await this.d.liveCalls?.remove(summary).catch(() => undefined);
    await this.d.claims.settle(dead, key);
    await ending;
    return true;
  }
}
