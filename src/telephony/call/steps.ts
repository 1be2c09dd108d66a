/**
 * What a call does, one step at a time: ring targets, play, record, run an
 * IVR, bridge, hang up ... Engine flows queue the steps a routing plan
 * makes; the call API queues its controls (spec 3.24 `append` / `clear` /
 * `break`). A step may answer follow-up steps that run before the rest of
 * the queue (a dialplan fallback after busy). `break` aborts the running
 * step through its AbortSignal.
 */
import { SafeEmitter } from '../../lib/safe-emitter.js';
import { CAUSE, type EndCause } from '../causes.js';

/**
 * What a running step is told of its abort: the part of AbortSignal the
 * steps use (an AbortSignal is one). The queue's own is a plain object: an
 * AbortController and its signal per step were ~2 % of the call path.
 */
export interface StepSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The queue's abort of one step: listeners run once, on the first abort(). */
class StepAbort implements StepSignal {
  aborted = false;
  private listeners: Array<() => void> | null = null;

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.listeners!.splice(i, 1);
  }

  abort(onError: (err: unknown) => void): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners ?? [];
    this.listeners = null;
    for (const l of listeners) {
      try {
        l();
      } catch (err) {
        onError(err);
      }
    }
  }
}

export interface Step {
  /** What the step is (logs, the call API's control name). */
  readonly kind: string;
  /** The call API's control id (spec 3.24 `id`); engine steps have none. */
  readonly id?: string | undefined;
  /** Runs until done or aborted; resolves with steps to run next, before the rest of the queue. */
  run(signal: StepSignal): Promise<readonly Step[] | void>;
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
  private running: { step: Step; abort: StepAbort } | null = null;
  private draining = false;
  private closed = false;
  /** The id of the last finished step that had one (spec 3.24 last_control_id). */
  lastId: string | null = null;
  /** An abort listener that threw: told like a step that threw. */
  private readonly abortError = (err: unknown): void => this.opts.onError?.(err, 'abort');

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
    this.running?.abort.abort(this.abortError);
    this.append(steps);
  }

  /** The call ended: the running step is aborted, nothing more runs. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.length = 0;
    this.running?.abort.abort(this.abortError);
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
        const abort = new StepAbort();
        this.running = { step, abort };
        this.safeEmit('change', step, this.lastId);
        let next: readonly Step[] | void = undefined;
        try {
          next = await step.run(abort);
        } catch (err) {
          this.opts.onError?.(err, step.kind);
          this.running = null;
          this.pending.length = 0;
          this.host.hangup(CAUSE.failure);
          break;
        }
        this.running = null;
        if (step.id !== undefined) this.lastId = step.id;
        if (next && next.length > 0 && !abort.aborted) this.pending.unshift(...next);
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
  run: (signal: StepSignal) => Promise<readonly Step[] | void>,
  id?: string,
): Step {
  return { kind, id, run };
}

/** Resolves when `signal` aborts (never rejects); for racing a step's wait against `break`. */
export function aborted(signal: StepSignal): Promise<'aborted'> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
}
