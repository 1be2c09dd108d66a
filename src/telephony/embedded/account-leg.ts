/**
 * A call to a SIP account: one INVITE to every device registered for it,
 * at once (parallel forking as RFC 3261 §16.7 describes it for proxies; the
 * B2BUA does it with a leg per device). The engine sees one leg: it rings
 * when a device rings, the first device to answer becomes the leg and the
 * others are cancelled, and when every device failed it ends with the most
 * telling cause (busy before no answer before unavailable). No device
 * registered: it ends at once as unavailable. Devices woken by a push
 * (RFC 8599) join the fork when they register, while the leg waits for
 * them, ringing. Both SIP adapters use it.
 */
import { pridOfContact } from '../../domain/push/pn-params.js';
import { SafeEmitter } from '../../lib/safe-emitter.js';
import type {
  Leg,
  LegEvents,
  LegState,
  Logger,
  OriginateRequest,
  OriginateTarget,
  OutboundLeg,
} from '../adapter.js';
import type { DeviceWake, LocationBinding, LocationStore } from '../environment.js';
import { CAUSE, worstFailure, type EndCause } from '../causes.js';
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
  /** Woken devices may still register and join. */
  private waiting = false;

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

  /**
   * Rings the devices (none: unavailable). `waiting`: more may join with
   * add() until stopWaiting(); meanwhile the caller hears it ring.
   */
  fork(branches: readonly B[], opts: { waiting?: boolean } = {}): void {
    this.started = true;
    if (this.state === 'ended') {
      for (const b of branches) b.hangup(this.endCause ?? CAUSE.cancelled);
      return;
    }
    this.waiting = opts.waiting === true;
    if (branches.length === 0 && !this.waiting) {
      this.end(CAUSE.unavailable, 'remote');
      return;
    }
    for (const b of branches) this.add(b);
    if (this.waiting && this.state === 'new') {
      this.state = 'ringing';
      this.safeEmit('progress', 'ringing');
    }
  }

  /** A device that registered while the leg waited: rung with the others. */
  add(b: B): void {
    if (this.state === 'ended' || this.winner) {
      b.hangup(this.endCause ?? CAUSE.cancelled);
      return;
    }
    this.branches.add(b);
    b.on('progress', (kind) => {
      if (this.state === 'ended' || this.winner) return;
      if (this.state === 'new') this.state = 'ringing';
      this.safeEmit('progress', kind);
    });
    b.once('answered', () => this.answered(b));
    b.once('ended', (cause, by) => this.branchEnded(b, cause, by));
  }

  /** No more devices will join: with none left ringing, the leg fails. */
  stopWaiting(): void {
    if (!this.waiting) return;
    this.waiting = false;
    if (this.state !== 'ended' && !this.winner && this.branches.size === 0)
      this.end(worstFailure(this.failures), 'remote');
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
    if (this.branches.size === 0 && !this.winner && !this.waiting)
      this.end(worstFailure(this.failures), 'remote');
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

export interface AccountRingDeps<B extends OutboundLeg> {
  location: LocationStore;
  wake: DeviceWake | null;
  log: Logger;
  /** A device leg toward one binding, started (null: the binding cannot be reached). */
  branch(binding: LocationBinding): B | null;
}

/**
 * Rings an account's devices on `leg`: every live binding at once, and,
 * with push wake-up, the devices whose binding went stale: pushed, waited
 * for (up to DeviceWake.waitMs) and rung as their REGISTER arrives
 * (RFC 8599 §5.3.2). The wait ends early once every woken device rings,
 * the call is answered or given up.
 */
export function ringAccount<B extends OutboundLeg>(
  leg: AccountLeg<B>,
  req: OriginateRequest,
  d: AccountRingDeps<B>,
): void {
  const account = leg.target.account;
  const rung = new Set<string>();
  const branchesOf = (bindings: readonly LocationBinding[]): B[] => {
    const out: B[] = [];
    for (const b of bindings) {
      if (rung.has(b.contact)) continue;
      rung.add(b.contact);
      const branch = d.branch(b);
      if (branch) out.push(branch);
    }
    return out;
  };
  const ring = async (): Promise<void> => {
    // One round trip: both reads go out together on the shared connection.
    const [bindings, pushable] = await Promise.all([
      d.location.bindings(account),
      d.wake ? d.wake.devices(account) : [],
    ]);
    const awake = new Set(bindings.map((b) => pridOfContact(b.contact)));
    const sleeping = pushable.filter((p) => !awake.has(p.prid));
    if (!d.wake || sleeping.length === 0 || leg.state === 'ended') {
      leg.fork(branchesOf(bindings));
      return;
    }
    const wake = d.wake;
    const pending = new Set(sleeping.map((s) => s.prid));
    let off: () => void = () => undefined;
    let timer: NodeJS.Timeout | null = null;
    const done = (): void => {
      if (timer) clearTimeout(timer);
      off();
      leg.stopWaiting();
    };
    // Listening before the push: the REGISTER it causes may be quick.
    off = await wake.onRegistered(account, () => {
      d.location.bindings(account).then(
        (now) => {
          if (leg.state === 'ended' || leg.winner) return;
          for (const b of branchesOf(now)) leg.add(b);
          for (const b of now) pending.delete(pridOfContact(b.contact) ?? '');
          if (pending.size === 0) done();
        },
        (err: unknown) => d.log.warn({ err, account }, 'location lookup failed'),
      );
    });
    leg.fork(branchesOf(bindings), { waiting: true });
    leg.once('ended', done);
    leg.once('answered', done);
    if (leg.endedAt !== null) return;
    timer = setTimeout(done, wake.waitMs);
    const caller = req.from.clir ? '' : (req.from.number ?? '');
    const woken = new Set(await wake.wake(account, sleeping, { call: req.call, caller }));
    // Only the devices the push service took are waited for.
    for (const p of [...pending]) if (!woken.has(p)) pending.delete(p);
    if (pending.size === 0) done();
  };
  ring().catch((err: unknown) => {
    d.log.warn({ err, account }, 'ringing the devices failed');
    if (!leg.forked) leg.fork([]);
    else leg.stopWaiting();
  });
}

/** The leg carrying `leg`'s dialog and media: an account call's answering device, else the leg itself. */
export function deviceLeg(leg: Leg): Leg | null {
  return leg instanceof AccountLeg ? (leg as AccountLeg).winner : leg;
}
