/**
 * Where the time of an event delivery goes (events.bench.ts, BENCH_TRACE=1):
 * wraps the event system's steps on the live instances and stamps each paced
 * event as it passes. Only meaningful while one event per session is in
 * flight (phase A). Diagnostic code: it reaches into private members.
 */
import type { EventSystem } from '../../src/events/index.js';
import type { ApiEvent } from '../../src/events/types.js';

const now = (): number => performance.timeOrigin + performance.now();

/** Wall times (ms) of one event's steps. */
interface Trace {
  t: number;
  audience?: number;
  appendStart?: number;
  appendEnd?: number;
  notified?: number;
  read?: number;
  answered?: number;
}

export const STEPS = [
  ['publish -> audience resolved (zset + session check)', 't', 'audience'],
  ['audience -> append sent (filter check)', 'audience', 'appendStart'],
  ['append script (Lua: XADD, trim, PUBLISH)', 'appendStart', 'appendEnd'],
  ['append sent -> notify received by the waiter', 'appendStart', 'notified'],
  ['append answered -> notify received', 'appendEnd', 'notified'],
  ['notify -> events read (XRANGE)', 'notified', 'read'],
  ['read -> poll answered (cursor confirm)', 'read', 'answered'],
  ['poll answered -> client received (HTTP)', 'answered', 'received'],
] as const;

export class DeliveryTracer {
  private readonly bySid = new Map<string, Trace>();
  private readonly byT = new Map<number, Trace>();

  constructor(
    events: EventSystem,
    private readonly sidOfChannel: (channel: string) => string | undefined,
  ) {
    const subs = events.subscriptions;
    const sessionsOf = subs.sessionsOf.bind(subs);
    subs.sessionsOf = async (channel) => {
      const sids = await sessionsOf(channel);
      const sid = this.sidOfChannel(channel);
      const tr = sid ? this.bySid.get(sid) : undefined;
      if (tr && tr.audience === undefined) tr.audience = now();
      return sids;
    };
    const log = events.log;
    const appendMany = log.appendMany.bind(log);
    log.appendMany = async (entries) => {
      const traces = entries.map((e) => this.bySid.get(e.sid));
      for (const tr of traces) if (tr && tr.appendStart === undefined) tr.appendStart = now();
      await appendMany(entries);
      for (const tr of traces) if (tr && tr.appendEnd === undefined) tr.appendEnd = now();
    };
    const read = log.read.bind(log);
    log.read = async (sid, next, limit) => {
      const evs = await read(sid, next, limit);
      const tr = this.bySid.get(sid);
      if (tr && tr.read === undefined && evs.some((e) => e['t'] === tr.t)) tr.read = now();
      return evs;
    };
    const reader = events.reader;
    const poll = reader.poll.bind(reader);
    reader.poll = async (sid, next, ...rest) => {
      const evs: ApiEvent[] = await poll(sid, next, ...rest);
      const tr = this.bySid.get(sid);
      if (tr && tr.answered === undefined && evs.some((e) => e['t'] === tr.t)) tr.answered = now();
      return evs;
    };
  }

  /** Call once the long-polls are parked (the waiter's subscriber connection exists). */
  attachNotify(events: EventSystem): void {
    const sub = (
      events.waiter as unknown as {
        subscriber: { on(e: 'message', f: (c: string, s: string) => void): void };
      }
    ).subscriber;
    sub.on('message', (_c, sids) => {
      for (const sid of sids.split(' ')) {
        const tr = this.bySid.get(sid);
        if (tr && tr.notified === undefined) tr.notified = now();
      }
    });
  }

  /** Stamps the start of a publish to `sid`, carrying publish wall time `t`. */
  start(sid: string, t: number): void {
    const tr: Trace = { t };
    this.bySid.set(sid, tr);
    this.byT.set(t, tr);
  }

  /** Per step, the durations (ms) of the events received (sent = event t, recv = client time). */
  durations(sent: number[], recv: number[]): Map<string, number[]> {
    const out = new Map<string, number[]>(STEPS.map(([label]) => [label, []]));
    sent.forEach((t, i) => {
      const tr = this.byT.get(t);
      if (!tr) return;
      const at: Record<string, number | undefined> = { ...tr, received: recv[i] };
      for (const [label, from, to] of STEPS) {
        const a = at[from];
        const b = at[to];
        if (a !== undefined && b !== undefined) out.get(label)!.push(b - a);
      }
    });
    return out;
  }
}
