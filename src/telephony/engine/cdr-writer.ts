/**
 * Writes one CDR per leg when it ends (spec 9.1.4): the caller's leg is the
 * root; legs it caused name it as parent and root. Ids are allocated when a
 * leg starts so children can point at a parent that has not ended yet.
 */
import type { CdrFacts } from '../../domain/cdr/cdr.js';
import type { Leg } from '../ports.js';
import type { Logger } from './logger.js';

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
}

export class CdrWriter {
  constructor(
    private readonly sink: CdrSink,
    private readonly log: Logger,
  ) {}

  newId(startMs: number): string {
    return this.sink.newId(startMs);
  }

  /** Records the leg's CDR once it has ended (now, or when it does). */
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
    if (leg.state === 'ended') write();
    else leg.once('ended', write);
    return id;
  }
}
