/**
 * The calls of this telephony node, and their summaries where every node
 * and the API can read them (Redis, store/redis/live-calls.ts): who owns a
 * call, which node holds it, its state and times. A command for a call
 * (hang up now; the call API's controls later) reaches the node that holds
 * it through the store's per-node channel.
 */
import type { Logger } from '../adapter.js';
import { CAUSE, type EndCause } from '../causes.js';
import type { CallCommand, CallSummary, LiveCallStore } from '../../domain/call/live-call.js';
import type { Call } from './call.js';

export type { CallSummary } from '../../domain/call/live-call.js';

export function summarize(call: Call): CallSummary {
  return {
    uuid: call.uuid,
    node: call.node,
    owner: call.owner,
    number: call.number,
    ...call.parties,
    state: call.state,
    createdAt: call.createdAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    hangupCause: call.cause?.q850 ?? null,
  };
}

export class CallRegistry {
  private readonly calls = new Map<string, Call>();
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    readonly node: string,
    private readonly store: LiveCallStore | null,
    private readonly log: Logger,
  ) {}

  /** Takes commands for this node's calls from other nodes. */
  async start(): Promise<void> {
    if (!this.store || this.unlisten) return;
    this.unlisten = await this.store.listen(this.node, (uuid, command) => this.command(uuid, command));
  }

  async stop(): Promise<void> {
    // The summaries of calls that just ended are removed before the node goes.
    await this.store?.flush?.().catch((err: unknown) => this.log.warn({ err }, 'call summaries not written'));
    await this.unlisten?.();
    this.unlisten = null;
  }

  get size(): number {
    return this.calls.size;
  }

  get(uuid: string): Call | undefined {
    return this.calls.get(uuid);
  }

  list(): Call[] {
    return [...this.calls.values()];
  }

  add(call: Call): void {
    this.calls.set(call.uuid, call);
    this.logLifecycle(call);
    const publish = () => this.publish(call);
    // The summary is written when the call starts, is answered or gets its owner, and removed when it ends.
    call.on('info', publish);
    call.on('state', (state) => {
      if (state === 'answered') publish();
    });
    call.once('ended', () => {
      this.calls.delete(call.uuid);
      call.off('info', publish);
      this.store
        ?.remove(summarize(call))
        .catch((err: unknown) => this.log.warn({ err }, 'call summary not removed'));
    });
    publish();
  }

  /** A call anywhere: this node's own, else its summary. */
  async find(uuid: string): Promise<CallSummary | null> {
    const local = this.calls.get(uuid);
    if (local) return summarize(local);
    return (await this.store?.get(uuid)) ?? null;
  }

  /** Ends a call on whatever node holds it; false when no live call has that uuid. */
  async hangup(uuid: string, cause: EndCause = CAUSE.normal): Promise<boolean> {
    const local = this.calls.get(uuid);
    if (local) {
      local.hangup(cause);
      return true;
    }
    const remote = await this.store?.get(uuid);
    if (!remote || !this.store) return false;
    return this.store.send(remote.node, uuid, { kind: 'hangup', cause: cause.q850 });
  }

  /** Ends every call of this node (shutdown). */
  hangupAll(cause: EndCause = CAUSE.normal): void {
    for (const call of [...this.calls.values()]) call.hangup(cause);
  }

  private command(uuid: string, command: CallCommand): void {
    const call = this.calls.get(uuid);
    if (!call) return;
    if (command.kind === 'hangup')
      call.hangup(command.cause !== undefined ? { q850: command.cause } : CAUSE.normal);
  }

  /**
   * One info line when a call starts, is answered and ends (with its cause),
   * and one per leg; each carries the call uuid and the legs' wire ids (SIP
   * Call-IDs), so a call's lines and its SIP_TRACE messages are found together.
   */
  private logLifecycle(call: Call): void {
    const log = this.log;
    // Nothing to build per call when info lines go nowhere (pino below info, the silent logger).
    const levels = log as { isLevelEnabled?: (level: string) => boolean; silent?: boolean };
    if (levels.silent === true || levels.isLevelEnabled?.('info') === false) return;
    const wireIds = (): string[] => call.legs.flatMap((l) => (l.wireId ? [l.wireId] : []));
    const { incoming, from, to } = call.parties;
    log.info({ call: call.uuid, incoming, from, to }, 'call started');
    call.on('leg', (leg) => log.info({ call: call.uuid, leg: leg.id, callId: leg.wireId }, 'call leg'));
    call.on('state', (state) => {
      if (state === 'answered')
        log.info(
          { call: call.uuid, owner: call.owner, number: call.number, callIds: wireIds() },
          'call answered',
        );
    });
    call.once('ended', (cause) =>
      log.info(
        {
          call: call.uuid,
          owner: call.owner,
          number: call.number,
          callIds: wireIds(),
          cause: cause.q850,
          reason: cause.reason ?? cause.name,
          sipStatus: cause.sipStatus,
          durationMs: (call.endedAt ?? Date.now()) - call.createdAt,
          answered: call.answeredAt !== null,
        },
        'call ended',
      ),
    );
  }

  private publish(call: Call): void {
    if (!this.store || call.ended) return;
    this.store
      .put(summarize(call))
      .catch((err: unknown) => this.log.warn({ err }, 'call summary not written'));
  }
}
