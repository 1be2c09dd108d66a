/**
 * A call to a SIP account: one INVITE to every device registered for it,
 * at once (parallel forking as RFC 3261 §16.7 describes it for proxies; the
 * B2BUA does it with a leg per device). The engine sees one leg: it rings
 * when a device rings, the first device to answer becomes the leg and the
 * others are cancelled, and when every device failed it ends with the most
 * telling cause (busy before no answer before unavailable). No device
 * registered: it ends at once as unavailable. Both SIP adapters use it.
 */
import { SafeEmitter } from '../../lib/safe-emitter.js';
import type { Leg, LegEvents, LegState, OriginateTarget, OutboundLeg } from '../adapter.js';
import { CAUSE, ringFailure, type EndCause } from '../causes.js';
import { randomToken } from './sip/stack.js';

/** B: the device legs (each adapter's outbound leg toward one contact). */
export class AccountLeg<B extends OutboundLeg = OutboundLeg>
  extends SafeEmitter<LegEvents>
  implements OutboundLeg
{
  readonly id = randomToken(8);
  state: LegState = 'new';
  readonly startedAt = Date.now();
  answeredAt: number | null = null;
  endedAt: number | null = null;
  endCause: EndCause | null = null;
  /** The device leg that answered: media and the dialog are its. */
  winner: B | null = null;
  private readonly branches = new Set<B>();
  private readonly failures: EndCause[] = [];
  private started = false;

  /** The answering device's Call-ID (each device rings with its own until one answers). */
  get wireId(): string | undefined {
    return this.winner?.wireId;
  }

  constructor(
    readonly call: string,
    readonly target: Extract<OriginateTarget, { kind: 'account' }>,
  ) {
    super();
  }

  /** Rings the devices (none: unavailable). */
  fork(branches: readonly B[]): void {
    this.started = true;
    if (this.state === 'ended') {
      for (const b of branches) b.hangup(this.endCause ?? CAUSE.cancelled);
      return;
    }
    if (branches.length === 0) {
      this.end(CAUSE.unavailable, 'remote');
      return;
    }
    for (const b of branches) {
      this.branches.add(b);
      b.on('progress', (kind) => {
        if (this.state === 'ended' || this.winner) return;
        if (this.state === 'new') this.state = 'ringing';
        this.safeEmit('progress', kind);
      });
      b.once('answered', () => this.answered(b));
      b.once('ended', (cause, by) => this.branchEnded(b, cause, by));
    }
  }

  private answered(b: B): void {
    if (this.state === 'ended' || this.winner) {
      b.hangup(CAUSE.normal);
      return;
    }
    this.winner = b;
    for (const other of this.branches) if (other !== b) other.hangup(CAUSE.cancelled);
    this.branches.clear();
    b.on('hold', (held) => this.safeEmit('hold', held));
    this.state = 'answered';
    this.answeredAt = b.answeredAt ?? Date.now();
    this.safeEmit('answered');
  }

  private branchEnded(b: B, cause: EndCause, by: 'local' | 'remote'): void {
    if (this.winner === b) {
      this.end(cause, by);
      return;
    }
    if (!this.branches.delete(b) || this.state === 'ended') return;
    this.failures.push(cause);
    if (this.branches.size === 0 && !this.winner) this.end(this.worstFailure(), 'remote');
  }

  /** Busy beats no answer beats unavailable (spec 4.1 fallbacks read it). */
  private worstFailure(): EndCause {
    const kinds = this.failures.map((f) => ringFailure(f));
    const pick = kinds.includes('busy') ? 'busy' : kinds.includes('no-answer') ? 'no-answer' : 'unavailable';
    return this.failures[kinds.indexOf(pick)] ?? CAUSE.unavailable;
  }

  hangup(cause: EndCause = CAUSE.normal): void {
    if (this.state === 'ended') return;
    if (this.winner) {
      this.winner.hangup(cause);
      return;
    }
    for (const b of this.branches) b.hangup(cause);
    this.branches.clear();
    this.end(cause, 'local');
  }

  /** Whether the devices were looked up (a hangup before that cancels them once they exist). */
  get forked(): boolean {
    return this.started;
  }

  private end(cause: EndCause, by: 'local' | 'remote'): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.endedAt = Date.now();
    this.endCause = cause;
    this.safeEmit('ended', cause, by);
  }
}

/** The leg carrying `leg`'s dialog and media: an account call's answering device, else the leg itself. */
export function deviceLeg(leg: Leg): Leg | null {
  return leg instanceof AccountLeg ? (leg as AccountLeg).winner : leg;
}
