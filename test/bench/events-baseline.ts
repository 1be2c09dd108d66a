/**
 * The floor of phase D (events-users.ts): the same long-polls, the same
 * client process and code, the same paced publisher, against a bare Fastify
 * route that keeps each session's events in memory: no Redis, no session
 * check, no filters, no plugins. What is left is Node's HTTP and the
 * machine, so the ratio of the two says what the event surface adds.
 * The answers have the shape of `GET /api/event`, so the clients cannot
 * tell the two apart; a session is named by its Authorization header.
 */
import Fastify, { type FastifyInstance } from 'fastify';

interface Queue {
  events: Array<{ id: number; event: string; t: number }>;
  nextId: number;
  parked: { next: number; answer: (body: string) => void } | null;
}

export class BareEvents {
  private readonly app: FastifyInstance = Fastify({ logger: false });
  private readonly queues = new Map<string, Queue>();

  constructor() {
    this.app.get('/api/event', (request, reply) => {
      const sid = String(request.headers.authorization ?? '').slice('Bearer '.length);
      const next = Number((request.query as { next?: string }).next ?? 0);
      const q = this.queue(sid);
      // What was handed out before `next` is confirmed: forget it.
      while (q.events.length > 0 && q.events[0]!.id < next) q.events.shift();
      if (q.events.length > 0) {
        void reply.type('application/json').send(this.body(q));
        return;
      }
      q.parked = { next, answer: (body) => void reply.type('application/json').send(body) };
    });
  }

  private queue(sid: string): Queue {
    let q = this.queues.get(sid);
    if (!q) {
      q = { events: [], nextId: 0, parked: null };
      this.queues.set(sid, q);
    }
    return q;
  }

  private body(q: Queue): string {
    const last = q.events[q.events.length - 1]!;
    return JSON.stringify({ status: 'ok', event: q.events, next: last.id + 1 });
  }

  listen(): Promise<string> {
    return this.app.listen({ port: 0, host: '127.0.0.1' });
  }

  /** Sessions with a parked poll (the clients are ready when all are). */
  get parked(): number {
    let n = 0;
    for (const q of this.queues.values()) if (q.parked) n++;
    return n;
  }

  /** One event to each of `sids`, answering the parked polls at once. */
  publish(sids: readonly string[], t: number): void {
    for (const sid of sids) {
      const q = this.queue(sid);
      q.events.push({ id: q.nextId++, event: 'bench_user', t });
      const p = q.parked;
      if (p) {
        q.parked = null;
        p.answer(this.body(q));
      }
    }
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
