/**
 * What a call does, one step at a time: ring targets, play, record, run an
 * IVR, bridge, hang up ... Engine flows queue the steps a routing plan
 * makes; the call API queues its controls (spec 3.24 `append` / `clear` /
 * `break`). A step may answer follow-up steps that run before the rest of
 * the queue (a dialplan fallback after busy). `break` aborts the running
 * step through its AbortSignal.
 */
import { SafeEmitter } from '../../lib/safe-emitter.js';

/**
 * The reason a running step is aborted with: one shared value, since an
 * abort() without a reason builds a DOMException each time (once per call
 * at its end: measurable at hundreds of calls a second).
 */
const STEP_STOPPED = Object.freeze({ name: 'AbortError', message: 'the step was stopped' });
import { CAUSE, type EndCause } from '../causes.js';

export interface Step {
  /** What the step is (logs, the call API's control name). */
  readonly kind: string;
  /** The call API's control id (spec 3.24 `id`); engine steps have none. */
  readonly id?: string | undefined;
  /** Runs until done or aborted; resolves with steps to run next, before the rest of the queue. */
  run(signal: AbortSignal): Promise<readonly Step[] | void>;
}

/** What the queue needs of its call. */
export interface StepHost {
  readonly uuid: string;
  readonly ended: boolean;
  hangup(cause?: EndCause): void;
}

export interface StepQueueEvents {
  /** A step started (`current`) or finished (`last`: the id of the last finished step with an id). */
  change: [current: Step | null, lastId: string | null];
  /** The queue ran dry. */
  idle: [];
}

export interface StepQueueOptions {
  /** 'hangup': an empty queue ends the call (engine flows); 'wait': it waits for more (call API). */
  whenIdle: 'hangup' | 'wait';
  onError?: (err: unknown, step: string) => void;
}

export class StepQueue extends SafeEmitter<StepQueueEvents> {
  private readonly pending: Step[] = [];
  private running: { step: Step; abort: AbortController } | null = null;
  private draining = false;
  private closed = false;
  /** The id of the last finished step that had one (spec 3.24 last_control_id). */
  lastId: string | null = null;

  constructor(
    private readonly host: StepHost,
    private readonly opts: StepQueueOptions,
  ) {
    super();
  }

  /** The step running now (spec 3.24 current_control_id is its id). */
  get current(): Step | null {
    return this.running?.step ?? null;
  }

  get size(): number {
    return this.pending.length;
  }

  /** Adds steps at the end (spec 3.24 `append`). */
  append(steps: readonly Step[]): void {
    if (this.closed) return;
    this.pending.push(...steps);
    this.kick();
  }

  /** Replaces what waits with `steps`; the running step goes on (`clear`). */
  replace(steps: readonly Step[]): void {
    if (this.closed) return;
    this.pending.length = 0;
    this.append(steps);
  }

  /** Replaces what waits with `steps` and aborts the running step (`break`). */
  interrupt(steps: readonly Step[]): void {
    if (this.closed) return;
    this.pending.length = 0;
    this.running?.abort.abort(STEP_STOPPED);
    this.append(steps);
  }

  /** The call ended: the running step is aborted, nothing more runs. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.length = 0;
    this.running?.abort.abort(STEP_STOPPED);
  }

  private kick(): void {
    if (this.draining || this.closed) return;
    this.draining = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const step = this.pending.shift();
        if (!step || this.closed || this.host.ended) break;
        const abort = new AbortController();
        this.running = { step, abort };
        this.safeEmit('change', step, this.lastId);
        let next: readonly Step[] | void = undefined;
        try {
          next = await step.run(abort.signal);
        } catch (err) {
          this.opts.onError?.(err, step.kind);
          this.running = null;
          this.pending.length = 0;
          this.host.hangup(CAUSE.failure);
          break;
        }
        this.running = null;
        if (step.id !== undefined) this.lastId = step.id;
        if (next && next.length > 0 && !abort.signal.aborted) this.pending.unshift(...next);
        this.safeEmit('change', null, this.lastId);
      }
    } finally {
      this.draining = false;
    }
    if (this.closed || this.host.ended) return;
    if (this.pending.length > 0) {
      this.kick();
      return;
    }
    this.safeEmit('idle');
    if (this.opts.whenIdle === 'hangup' && this.pending.length === 0 && !this.running)
      this.host.hangup(CAUSE.normal);
  }
}

/** A step from a function (engine flows whose steps need no class of their own). */
export function step(
  kind: string,
  run: (signal: AbortSignal) => Promise<readonly Step[] | void>,
  id?: string,
): Step {
  return { kind, id, run };
}

/** Resolves when `signal` aborts (never rejects); for racing a step's wait against `break`. */
export function aborted(signal: AbortSignal): Promise<'aborted'> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
}
