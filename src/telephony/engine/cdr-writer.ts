/**
 * Writes one CDR per leg when it ends (spec 9.1.4): the caller's leg is the
 * root; legs it caused name it as parent and root. Ids are allocated when a
 * leg starts so children can point at a parent that has not ended yet.
 */
import type { CdrFacts } from '../../domain/cdr/cdr.js';
import type { Leg, Logger } from '../adapter.js';

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
  fax_id?: string;
  page_count?: number;
}

export class CdrWriter {
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly sink: CdrSink,
    private readonly log: Logger,
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
        .catch((err: unknown) => this.log.error({ err, leg: leg.id }, 'CDR not recorded'));
    };
    const entry: Tracked = { cdr, holds: 0, ended: false, write };
    this.tracked.set(id, entry);
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
  ): (patch?: Partial<Pick<LegCdr, 'recording_id' | 'b_number' | 'fax_id' | 'page_count'>> | null) => void {
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
}
