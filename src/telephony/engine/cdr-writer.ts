/**
 * Writes one CDR per leg when it ends (spec 9.1.4): the caller's leg is the
 * root; legs it caused name it as parent and root. Ids are allocated when a
 * leg starts so children can point at a parent that has not ended yet.
 */
import type { PendingRecording, RecoveryEntry, RecoveryJournal } from '../../domain/call/recovery.js';
import type { CdrFacts } from '../../domain/cdr/cdr.js';
import type { Leg, LegSnapshot, Logger } from '../adapter.js';

export interface CdrSink {
  newId(startMs: number): string;
  record(input: CdrFacts & { id: string; userId: string | null }): Promise<unknown>;
}

export interface LegCdr {
  id: string;
  phone: string;
  userId: string | null;
  service: CdrFacts['service'];
  a_number?: string;
  b_number?: string;
  parent?: string;
  root?: string;
  recording_id?: string;
  conference_id?: string;
  fax_id?: string;
  page_count?: number;
}

/** Where answered legs are journalled for crash recovery (domain/call/recovery.ts). */
export interface CdrRecovery {
  journal: RecoveryJournal;
  snapshot(leg: Leg): LegSnapshot | null;
}

export class CdrWriter {
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly sink: CdrSink,
    private readonly log: Logger,
    private readonly recovery: CdrRecovery | null = null,
  ) {}

  newId(startMs: number): string {
    return this.sink.newId(startMs);
  }

  /**
   * Records the leg's CDR once it has ended (now, or when it does), and once
   * every hold() on it is released: a voicemail's recording id is known only
   * after the caller has hung up.
   */
  track(leg: Leg, cdr: Omit<LegCdr, 'id'> & { id?: string }): string {
    const id = cdr.id ?? this.sink.newId(leg.startedAt);
    const write = () => {
      const { id: _ignored, ...rest } = cdr;
      this.sink
        .record({
          ...rest,
          id,
          startMs: leg.startedAt,
          answerMs: leg.answeredAt,
          endMs: leg.endedAt ?? Date.now(),
          q850: leg.endCause?.q850 ?? 16,
        })
        // Written: a crash from now on has nothing of this leg to recover.
        .then(() => this.recovery?.journal.remove(id))
        .catch((err: unknown) => this.log.error({ err, leg: leg.id }, 'CDR not recorded'));
    };
    const entry: Tracked = { cdr, holds: 0, ended: false, write, leg, recording: null, journalled: false };
    this.tracked.set(id, entry);
    if (this.recovery) {
      if (leg.state === 'answered') this.journal(id, entry);
      else leg.once('answered', () => this.journal(id, entry));
    }
    const ended = () => {
      entry.ended = true;
      this.flush(id, entry);
    };
    if (leg.state === 'ended') ended();
    else leg.once('ended', ended);
    return id;
  }

  /**
   * Keeps the CDR `id` from being written until the answer is called, with
   * the fields it then adds (null: nothing to add). Unknown or written ids
   * answer a no-op.
   */
  hold(
    id: string,
  ): (
    patch?: Partial<
      Pick<LegCdr, 'recording_id' | 'b_number' | 'service' | 'conference_id' | 'fax_id' | 'page_count'>
    > | null,
  ) => void {
    const entry = this.tracked.get(id);
    if (!entry) return () => undefined;
    entry.holds += 1;
    let released = false;
    return (patch) => {
      if (released) return;
      released = true;
      if (patch) Object.assign(entry.cdr, patch);
      entry.holds -= 1;
      this.flush(id, entry);
    };
  }

  /**
   * Notes fields the CDR will have as soon as they are known (a conference
   * participant's service and conference), so a crash writes them too.
   * Unknown or written ids: nothing happens.
   */
  note(id: string, patch: Partial<Pick<LegCdr, 'service' | 'conference_id'>>): void {
    const entry = this.tracked.get(id);
    if (!entry) return;
    Object.assign(entry.cdr, patch);
    if (entry.journalled) this.journal(id, entry);
  }

  /**
   * Notes the recording the leg is writing (null: it ended), so a crash
   * leaves a recording object with what was said up to it.
   */
  recording(id: string, recording: PendingRecording | null): void {
    const entry = this.tracked.get(id);
    if (!entry) return;
    entry.recording = recording;
    if (entry.journalled) this.journal(id, entry);
  }

  private journal(id: string, entry: Tracked): void {
    if (!this.recovery || entry.ended) return;
    const recovery = this.recovery;
    const { leg, cdr } = entry;
    entry.journalled = true;
    // Built when the journal is flushed (a leg that ended by then was taken back and costs nothing).
    recovery.journal.put(id, (): RecoveryEntry => {
      const { id: _ignored, ...facts } = cdr;
      return {
        call: leg.call,
        cdr: { ...facts, id, startMs: leg.startedAt, answerMs: leg.answeredAt },
        snapshot: recovery.snapshot(leg),
        recording: entry.recording,
      };
    });
  }

  private flush(id: string, entry: Tracked): void {
    if (!entry.ended || entry.holds > 0) return;
    this.tracked.delete(id);
    entry.write();
  }
}

interface Tracked {
  cdr: Omit<LegCdr, 'id'> & { id?: string };
  holds: number;
  ended: boolean;
  write: () => void;
  leg: Leg;
  recording: PendingRecording | null;
  journalled: boolean;
}
