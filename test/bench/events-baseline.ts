/**
 * The floor of phase D (events-users.ts): the same long-polls, the same
 * client process and code, the same paced publisher, against a bare Fastify
 * route that keeps each session's events in memory: no Redis, no session
 * check, no filters, no plugins. What is left is Node's HTTP and the
 * machine, so the ratio of the two says what the event surface adds.
 * The answers have the shape of `GET /api/event`, so the clients cannot
 * tell the two apart; a session is named by its Authorization header.
 *
 * BENCH_BARE_NODE=1 serves the same route from `node:http` alone, without
 * Fastify: the floor of any long-poll server written for Node.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';

/** Whether the bare route runs on node:http alone (BENCH_BARE_NODE=1) rather than Fastify. */
export const BARE_NODE = process.env['BENCH_BARE_NODE'] === '1';

interface Queue {
  events: Array<{ id: number; event: string; t: number }>;
  nextId: number;
  parked: { next: number; answer: (body: string) => void } | null;
}

export class BareEvents {
  private readonly app: FastifyInstance = Fastify({ logger: false });
  private readonly node = http.createServer((req, res) => {
    const m = /[?&]next=([0-9]+)/.exec(req.url ?? '');
    this.poll(req.headers.authorization, m ? Number(m[1]) : 0, (body) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  private readonly queues = new Map<string, Queue>();

  constructor() {
    this.app.get('/api/event', (request, reply) => {
      const next = Number((request.query as { next?: string }).next ?? 0);
      this.poll(
        request.headers.authorization,
        next,
        (body) => void reply.type('application/json').send(body),
      );
    });
  }

  /** Answers at once with what is pending from `next` on, or parks the poll. */
  private poll(authorization: string | undefined, next: number, answer: (body: string) => void): void {
    const q = this.queue(String(authorization ?? '').slice('Bearer '.length));
    // What was handed out before `next` is confirmed: forget it.
    while (q.events.length > 0 && q.events[0]!.id < next) q.events.shift();
    if (q.events.length > 0) answer(this.body(q));
    else q.parked = { next, answer };
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
    if (!BARE_NODE) return this.app.listen({ port: 0, host: '127.0.0.1' });
    return new Promise((resolve) =>
      this.node.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(this.node.address() as AddressInfo).port}`),
      ),
    );
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

  async close(): Promise<void> {
    await this.app.close();
    if (this.node.listening) {
      this.node.closeAllConnections();
      await new Promise((r) => this.node.close(r));
    }
  }
}
