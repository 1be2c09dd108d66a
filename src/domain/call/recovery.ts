/**
 * Calls survive a crash on paper (issue 14). While a leg is answered, the
 * node keeps a recovery entry for it where every node can read it (Redis,
 * store/redis/recovery-journal.ts): what its CDR will say, the adapter's
 * snapshot to end the far end from outside (RecoveryPort), and the
 * recording it is writing, if any. The entry goes when the CDR is written.
 *
 * A node proves it lives with a heartbeat. When one stops, any node — or
 * the same node started again — claims the dead process's entries, ends
 * their far ends, turns a partial recording into a recording object and
 * writes the CDRs with the last time the process was seen alive.
 */
import type { CdrFacts } from '../cdr/cdr.js';

/** A leg's CDR as far as it is known while the leg lasts (no end yet). */
export interface PendingCdr extends Omit<CdrFacts, 'endMs' | 'q850'> {
  id: string;
  userId: string | null;
}

/** A recording in progress on the leg: the file grows while the call goes on. */
export interface PendingRecording {
  path: string;
  owner: string;
  from: string;
  to: string;
}

export interface RecoveryEntry {
  /** The engine's call the leg belongs to (its live summary goes too). */
  call: string;
  cdr: PendingCdr;
  /** The adapter's snapshot (RecoveryPort); null: nothing to end from outside. */
  snapshot: Record<string, unknown> | null;
  recording: PendingRecording | null;
}

/** What the engine writes while its legs live (batched: a leg shorter than a flush never reaches Redis). */
export interface RecoveryJournal {
  /** `entry` may be a function, called when the journal is written: the entry as it is then. */
  put(key: string, entry: RecoveryEntry | (() => RecoveryEntry)): void;
  remove(key: string): void;
}

/** A process that died, and what it left. */
export interface DeadProcess {
  /** The process (node id and incarnation). */
  process: string;
  /** When its heartbeat was last written (ms since the epoch); null when unknown. */
  lastSeenMs: number | null;
  entries: Map<string, RecoveryEntry>;
}

/**
 * Q.850 41, temporary failure: what a leg ended by the crash of the process
 * that held it ends with (the far end did not hang up, and nor did the user).
 */
export const CRASH_Q850 = 41;

/**
 * The CDR facts of a leg whose process died: it ended when the process was
 * last seen alive (never before it was answered or started), with cause 41.
 */
export function crashedCdr(
  e: RecoveryEntry,
  lastSeenMs: number | null,
  nowMs: number,
  recordingId: string | null,
): CdrFacts & { id: string; userId: string | null } {
  const floor = Math.max(e.cdr.startMs, e.cdr.answerMs ?? e.cdr.startMs);
  const endMs = Math.max(floor, Math.min(lastSeenMs ?? nowMs, nowMs));
  return {
    ...e.cdr,
    ...(recordingId ? { recording_id: recordingId } : {}),
    endMs,
    q850: CRASH_Q850,
  };
}

/** Parses one stored entry; null for anything not an entry (never throws). */
export function parseRecoveryEntry(text: string): RecoveryEntry | null {
  try {
    const e = JSON.parse(text) as Partial<RecoveryEntry> | null;
    if (!e || typeof e !== 'object' || typeof e.call !== 'string') return null;
    const cdr = e.cdr as Partial<PendingCdr> | undefined;
    if (
      !cdr ||
      typeof cdr.id !== 'string' ||
      typeof cdr.phone !== 'string' ||
      typeof cdr.service !== 'string' ||
      typeof cdr.startMs !== 'number' ||
      !(cdr.answerMs === null || typeof cdr.answerMs === 'number')
    )
      return null;
    const snapshot = e.snapshot && typeof e.snapshot === 'object' ? e.snapshot : null;
    const r = e.recording as Partial<PendingRecording> | null | undefined;
    const recording =
      r &&
      typeof r.path === 'string' &&
      typeof r.owner === 'string' &&
      typeof r.from === 'string' &&
      typeof r.to === 'string'
        ? { path: r.path, owner: r.owner, from: r.from, to: r.to }
        : null;
    return { call: e.call, cdr: cdr as PendingCdr, snapshot, recording };
  } catch {
    return null;
  }
}
