/**
 * Phases of the event benchmark (events.bench.ts) on users' sessions, the
 * audience of most events (user_modify, user_metadata, call_update):
 *
 * - C, fan-out: one user with BENCH_FANOUT sessions (1,000), each
 *   long-polling; `POST /api/user/metadata?nostore` over HTTP from another
 *   session of that user, BENCH_FANOUT_ROUNDS times. Figure: the time from
 *   the request to the last session's answer (issue 15: < 100 ms), and every
 *   delivery's latency.
 * - D, throughput: BENCH_USERS users (100) with BENCH_USER_SESSIONS
 *   sessions each (10), one event per user-audience publish, paced at
 *   BENCH_USER_RATE publishes/s (1,000/s, i.e. 10,000 delivered events/s)
 *   for BENCH_SECONDS. Figures: delivered events/s and their latency
 *   (issue 15: >= 10,000/s with p99 < 10 ms).
 *
 * Sessions are made as a login makes them (an anonymous session saved as
 * the user's); no password hashing per session.
 */
import type { Services } from '../../src/services/index.js';

export const FANOUT = Number(process.env['BENCH_FANOUT'] ?? 1000);
export const FANOUT_ROUNDS = Number(process.env['BENCH_FANOUT_ROUNDS'] ?? 20);
/** Rounds first run and not counted (JIT, the route's first calls), as phase A warms up. */
export const FANOUT_WARMUP = Number(process.env['BENCH_FANOUT_WARMUP'] ?? 5);
export const USERS = Number(process.env['BENCH_USERS'] ?? 100);
export const USER_SESSIONS = Number(process.env['BENCH_USER_SESSIONS'] ?? 10);
export const USER_RATE = Number(process.env['BENCH_USER_RATE'] ?? 1010);

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A user and `count` sessions logged in as that user. */
export async function userWithSessions(
  services: Services,
  name: string,
  count: number,
): Promise<{ uuid: string; sids: string[] }> {
  const row = await services.users.create({
    username: name,
    password: 'bench-secret-1',
    email: null,
    partnerId: null,
  });
  const sids: string[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, async () => {
        const s = await services.sessions.create({ language: 'de' });
        s.kind = 'user';
        s.userId = row.uuid;
        await services.sessions.save(s);
        return s.sid;
      }),
    );
    sids.push(...batch);
  }
  return { uuid: row.uuid, sids };
}

export interface Received {
  /** Publish wall times carried by the events (server clock). */
  sent: number[];
  /** Receive wall times at the clients (client clock). */
  recv: number[];
}

/**
 * Phase C: `rounds` metadata changes of one user, each waited for at all
 * `sessions` long-polls (`collect` returns what the clients received since
 * the last call). Returns per round the time to the last session, and all
 * delivery latencies, in ms on the server's clock.
 */
export async function fanOut(
  appUrl: string,
  postSid: string,
  sessions: number,
  rounds: number,
  collect: () => Promise<Received>,
  clockOffset: number,
): Promise<{ last: number[]; all: number[]; answered: number[] }> {
  const answered: number[] = [];
  const last: number[] = [];
  const all: number[] = [];
  for (let r = -FANOUT_WARMUP; r < rounds; r++) {
    const t = now();
    const res = await fetch(`${appUrl}/api/user/metadata?nostore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${postSid}`, 'content-type': 'application/json' },
      body: JSON.stringify({ update: { 'bench.sent': t } }),
    });
    const body = (await res.json()) as { status: string };
    if (body.status !== 'ok') throw new Error(`POST /api/user/metadata: ${JSON.stringify(body)}`);
    if (r >= 0) answered.push(now() - t);
    const recv: number[] = [];
    const deadline = Date.now() + 10_000;
    while (recv.length < sessions) {
      if (Date.now() > deadline) throw new Error(`fan-out round ${r}: ${recv.length} of ${sessions} arrived`);
      await sleep(20);
      const c = await collect();
      c.sent.forEach((s, i) => {
        if (s === t) recv.push(c.recv[i]! - clockOffset);
      });
    }
    await sleep(100); // the sessions are parked again before the next round
    if (r < 0) continue;
    const lat = recv.map((x) => x - t);
    all.push(...lat);
    last.push(Math.max(...lat));
  }
  return { last, all, answered };
}

/**
 * Phase D: one event per user, users in turn, paced at `rate`/s for
 * `seconds` (open loop: a publish does not wait for the one before).
 * `publish(i, t)` sends user i's event carrying its publish time t.
 * Returns what was published, when publishing started and ended, how
 * many publishes went out more than 10 ms late, and the span the publishes
 * took (ms; `seconds` when the server kept pace with the publisher).
 */
export async function publishToUsers(
  publish: (user: number, t: number) => Promise<void> | void,
  users: number,
  rate: number,
  seconds: number,
): Promise<{ published: number; start: number; end: number; late: number; span: number }> {
  const start = now();
  const total = Math.floor(rate * seconds);
  let late = 0;
  let last = start;
  const inflight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 1) await sleep(wait);
    else if (wait < -10) late++;
    last = now();
    const p = Promise.resolve(publish(i % users, last)).finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
  // The time the publishes took (a server that falls behind makes it longer), one interval per publish.
  return { published: total, start, end: now(), late, span: last - start + 1000 / rate };
}
