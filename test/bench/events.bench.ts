/**
 * Event delivery benchmark (issue 3): 1,000 sessions long-polling
 * `GET /api/event` (spec 3.27) on the real app (real Redis, in-memory PGlite).
 * Events go through the full publish path: channel audience resolution,
 * filter check, Lua append, pub/sub notify, long-poll wake-up, HTTP answer.
 *
 *   npm run bench:events
 *   BENCH_SESSIONS=1000 BENCH_EVENTS=3000 BENCH_RATE=500 BENCH_SECONDS=5 BENCH_INFLIGHT=64 npm run bench:events
 *
 * Latency = client receive wall time - publish wall time carried in the event
 * (`performance.timeOrigin + performance.now()` on both sides). The clients
 * run in a child process (events-clients.ts), so they do not share the
 * server's event loop. Phases:
 * - A, latency: events one at a time to random sessions at BENCH_RATE/s,
 *   in rounds alternating with the baselines so machine noise hits all:
 *   - bare HTTP: sequential GETs of a bare Fastify route, same client process,
 *     same http.Agent, same number of samples, paced at the same rate (the
 *     fair comparison: processes woken from idle answer slower), and once
 *     back to back;
 *   - Redis pub/sub: publish -> message on a second connection, in this
 *     process, paced at the same rate.
 * - B, throughput: publishes as fast as BENCH_INFLIGHT concurrent publishers
 *   go for BENCH_SECONDS; delivered events/s counted at the clients.
 * - C, fan-out, and D, paced user events: events-users.ts.
 * Targets: p99 < 10 ms at 1,000 sessions (A); one event to 1,000 sessions of
 * one user at the last one in < 100 ms (C); >= 10,000 delivered events/s
 * with p99 < 10 ms (D). BENCH_PHASES picks phases (default ABCD; A and B
 * run together). Figures go into BENCHMARKS.md.
 *
 * The clients speak HTTP/1.1 over raw keep-alive sockets (raw-http.ts), the
 * bare baseline too: Node's http.Agent cost the client process 35-50 µs per
 * answer, and 1,000 sessions in one process then queued behind each other.
 *
 * Diagnostics: BENCH_TRACE=1 prints per-step latencies of phase A
 * (events-trace.ts); BENCH_CPU_PROFILE=<file> writes a CPU profile of the
 * server process over the phases run (open it in Chrome DevTools), and
 * BENCH_HEAP_PROFILE=<file> a sampling heap profile of every allocation,
 * garbage included. BENCH_BARE_NODE=1 runs phase D's bare baseline on
 * node:http without Fastify (events-baseline.ts). BENCH_FAST_POLL=0 serves
 * GET /api/event through Node's HTTP and Fastify instead of on the
 * connection (src/api/fast-poll.ts), for a before/after in one machine.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session as Inspector } from 'node:inspector/promises';
import Fastify from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config/index.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { createServices, type Services } from '../../src/services/index.js';
import { openDatabase } from '../../src/store/db.js';
import { BareEvents } from './events-baseline.js';
import { fmt, measureRound, noFigures, printPhaseD, stats, TARGET_P99_MS } from './events-phase-d.js';
import { DeliveryTracer } from './events-trace.js';
import {
  FANOUT,
  FANOUT_ROUNDS,
  FANOUT_WARMUP,
  USER_RATE,
  USER_SESSIONS,
  USERS,
  fanOut,
  publishToUsers,
  userWithSessions,
} from './events-users.js';
import { deleteKeys } from '../helpers/redis-keys.js';

const SESSIONS = Number(process.env['BENCH_SESSIONS'] ?? 1000);
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 3000);
const RATE = Number(process.env['BENCH_RATE'] ?? 500);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const INFLIGHT = Number(process.env['BENCH_INFLIGHT'] ?? 64);
const TARGET_FANOUT_MS = 100;
/** Which phases run (A and B go together): BENCH_PHASES=CD for the users' phases only. */
const PHASES = (process.env['BENCH_PHASES'] ?? 'ABCD').toUpperCase();
/** When set, a CPU profile of this (server) process over phases A and B is written there. */
const CPU_PROFILE = process.env['BENCH_CPU_PROFILE'];
/** When set, a sampling heap profile (every allocation, garbage included) of the same span is written there. */
const HEAP_PROFILE = process.env['BENCH_HEAP_PROFILE'];
/** When set, phase A also prints where the time of a delivery goes (events-trace.ts). */
const TRACE = Boolean(process.env['BENCH_TRACE']);
/** BENCH_D_BARE=0: phase D without its bare baseline rounds; BENCH_D_EVENTS=0 without the events (for profiles of one alone). */
const NO_BARE = process.env['BENCH_D_BARE'] === '0';
const NO_EVENTS = process.env['BENCH_D_EVENTS'] === '0';
/** BENCH_FAST_POLL=0: long-polls through Node's HTTP and Fastify, as before src/api/fast-poll.ts. */
const FAST_POLL = process.env['BENCH_FAST_POLL'] !== '0';

const now = (): number => performance.timeOrigin + performance.now();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Collected {
  type: 'collected';
  sent: number[];
  recv: number[];
  received: number;
  errors: number;
  gaps: number;
  /** CPU time of the client process so far, ms. */
  cpu: number;
}

/** The client process: send a command, await the next answer of a type. */
class Clients {
  private readonly child: ChildProcess;

  constructor() {
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'events-clients.ts');
    // BENCH_CLIENT_PROFILE_DIR=<dir>: a CPU profile of the client process goes there at its exit.
    const profileDir = process.env['BENCH_CLIENT_PROFILE_DIR'];
    this.child = fork(file, [], {
      execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
      stdio: 'inherit',
    });
  }

  ask<T>(cmd: Record<string, unknown>, answer: string, timeoutMs = 120_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.off('message', onMessage);
        reject(new Error(`client process did not answer ${String(cmd['type'])}`));
      }, timeoutMs);
      const onMessage = (m: { type: string }): void => {
        if (m.type !== answer) return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(m as T);
      };
      this.child.on('message', onMessage);
      this.child.send(cmd);
    });
  }

  /** What the clients received since the last collect. */
  async collect(): Promise<{ sent: number[]; recv: number[] }> {
    return this.ask<Collected>({ type: 'collect' }, 'collected');
  }

  /** Waits until the clients hold `expected` events in total (or the deadline passes). */
  async drain(expected: number, timeoutMs = 30_000): Promise<Collected> {
    const deadline = Date.now() + timeoutMs;
    const sent: number[] = [];
    const recv: number[] = [];
    for (;;) {
      const c = await this.ask<Collected>({ type: 'collect' }, 'collected');
      sent.push(...c.sent);
      recv.push(...c.recv);
      if (c.received >= expected || Date.now() > deadline) return { ...c, sent, recv };
      await sleep(50);
    }
  }

  /** Clock offset of the client process (client - server), from the IPC exchange with the least round trip. */
  async clockOffset(samples = 50): Promise<{ offset: number; rtt: number }> {
    let best = { offset: 0, rtt: Infinity };
    for (let i = 0; i < samples; i++) {
      const t0 = now();
      const { t1 } = await this.ask<{ t1: number }>({ type: 'clock', t0 }, 'clock');
      const t2 = now();
      if (t2 - t0 < best.rtt) best = { offset: t1 - (t0 + t2) / 2, rtt: t2 - t0 };
    }
    return best;
  }

  /** Ends the client process; its sockets close, so the server's long-polls end at once. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    if (this.child.connected) this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** Publishes `count` events one at a time to random sessions at `rate`/s. */
async function publishPaced(
  services: Services,
  sids: string[],
  count: number,
  rate: number,
  tracer: DeliveryTracer | null,
): Promise<void> {
  const start = now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 1) await sleep(wait);
    const n = Math.floor(Math.random() * SESSIONS);
    const t = now();
    tracer?.start(sids[n]!, t);
    await services.events.publish({ channel: `bench:${n}` }, 'bench', { t });
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-bench-'));
  const prefix = `cpbench:${randomToken(8)}:`;
  const config = loadConfig({ DATA_DIR: dataDir, REDIS_URL: process.env['REDIS_URL'], REDIS_PREFIX: prefix });
  const redis = await connectRedis(config.redisUrl);
  const database = await openDatabase({ pgliteDir: 'memory://' });
  const services = createServices({ config, db: database.db, redis });
  const app = await buildApp(services, { fastPoll: FAST_POLL });
  const bare = Fastify({ logger: false });
  bare.get('/bare', async () => ({ status: 'ok', hello: 'world' }));
  // Second baseline: a bare Redis pub/sub round trip (publisher -> subscriber connection).
  const pub = redis.duplicate();
  const sub = redis.duplicate();
  const clients = new Clients();
  const bareEvents = new BareEvents();

  try {
    const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

    // GET /api/event is auth 'session': fresh anonymous sessions qualify.
    const sids: string[] = [];
    for (let i = 0; i < SESSIONS; i += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, SESSIONS - i) }, () =>
          services.sessions.create({ language: 'de' }),
        ),
      );
      sids.push(...batch.map((s) => s.sid));
    }
    await Promise.all(sids.map((sid, i) => services.eventSystem.subscriptions.subscribe(`bench:${i}`, sid)));
    const tracer = TRACE
      ? new DeliveryTracer(services.eventSystem, (ch) => sids[Number(ch.slice('bench:'.length))])
      : null;

    const clock = await clients.clockOffset();
    console.log(
      `${SESSIONS} sessions, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}, node ${process.version}; ` +
        `client clock offset ${clock.offset.toFixed(3)} ms (IPC rtt ${clock.rtt.toFixed(3)} ms)`,
    );

    await clients.ask({ type: 'start', url: appUrl, sids }, 'started');
    const parkDeadline = Date.now() + 60_000;
    while (services.eventSystem.waiter.waiting < SESSIONS) {
      if (Date.now() > parkDeadline) {
        throw new Error(`only ${services.eventSystem.waiter.waiting} of ${SESSIONS} long-polls parked`);
      }
      await sleep(50);
    }
    // Phases C and D: users' sessions, long-polling too.
    const fan = { postSid: '', sids: [] as string[] };
    if (PHASES.includes('C')) {
      const u = await userWithSessions(services, `fan${randomToken(6).toLowerCase()}`, FANOUT + 1);
      fan.postSid = u.sids.pop()!;
      fan.sids = u.sids;
    }
    const users: Array<{ uuid: string; sids: string[] }> = [];
    if (PHASES.includes('D')) {
      for (let i = 0; i < USERS; i++) {
        users.push(await userWithSessions(services, `u${i}${randomToken(6).toLowerCase()}`, USER_SESSIONS));
      }
    }
    const userSids = [...fan.sids, ...users.flatMap((u) => u.sids)];
    if (userSids.length > 0) await clients.ask({ type: 'start', url: appUrl, sids: userSids }, 'started');
    const bareUsers = users.map((_, i) => Array.from({ length: USER_SESSIONS }, (_x, j) => `bare${i}x${j}`));
    if (PHASES.includes('D')) {
      const bareUrl = await bareEvents.listen();
      await clients.ask({ type: 'start', url: bareUrl, sids: bareUsers.flat() }, 'started');
      while (bareEvents.parked < USERS * USER_SESSIONS) await sleep(50);
    }
    while (services.eventSystem.waiter.waiting < SESSIONS + userSids.length) {
      if (Date.now() > parkDeadline + 60_000) {
        throw new Error(`only ${services.eventSystem.waiter.waiting} long-polls parked`);
      }
      await sleep(50);
    }
    console.log(`${SESSIONS + userSids.length} long-polls parked`);
    tracer?.attachNotify(services.eventSystem);

    const inspector = CPU_PROFILE || HEAP_PROFILE ? new Inspector() : null;
    if (inspector) {
      inspector.connect();
      if (CPU_PROFILE) {
        await inspector.post('Profiler.enable');
        await inspector.post('Profiler.start');
      }
      if (HEAP_PROFILE) {
        await inspector.post('HeapProfiler.enable');
        await inspector.post('HeapProfiler.startSampling', {
          samplingInterval: 16384,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      }
    }
    let published = 0;
    // Warm-up (JIT, connection pools), not counted.
    await publishPaced(services, sids, 300, RATE, null);
    published += 300;
    await clients.drain(published);

    let pubsubReceived: ((t: number) => void) | null = null;
    await sub.subscribe(`${prefix}bench:rtt`);
    sub.on('message', () => pubsubReceived?.(now()));
    const pubsubRtt = async (samples: number, rate: number): Promise<number[]> => {
      const out: number[] = [];
      const start = now();
      for (let i = 0; i < samples; i++) {
        const wait = start + (i * 1000) / rate - now();
        if (wait > 1) await sleep(wait);
        const got = new Promise<number>((r) => (pubsubReceived = r));
        const t0 = now();
        await pub.publish(`${prefix}bench:rtt`, 'x');
        out.push((await got) - t0);
      }
      return out;
    };

    if (PHASES.includes('A') || PHASES.includes('B')) {
      // Phase A: latency, in rounds alternating with the baselines.
      const perRound = Math.ceil(EVENTS / ROUNDS);
      const eventLat: number[] = [];
      const bareLat: number[] = [];
      const bareHotLat: number[] = [];
      const redisLat: number[] = [];
      const steps = new Map<string, number[]>();
      for (let round = 1; round <= ROUNDS; round++) {
        const order = round % 2 ? ['events', 'bare', 'redis', 'hot'] : ['hot', 'redis', 'bare', 'events'];
        for (const which of order) {
          if (which === 'events') {
            await publishPaced(services, sids, perRound, RATE, tracer);
            published += perRound;
            const c = await clients.drain(published);
            if (c.received < published) throw new Error(`only ${c.received} of ${published} events arrived`);
            c.sent.forEach((t, i) => eventLat.push(c.recv[i]! - t));
            for (const [step, ds] of tracer?.durations(c.sent, c.recv) ?? []) {
              steps.set(step, [...(steps.get(step) ?? []), ...ds]);
            }
          } else if (which === 'bare' || which === 'hot') {
            const r = await clients.ask<{ rtt?: number[]; error?: string }>(
              {
                type: 'bare',
                url: `${bareUrl}/bare`,
                samples: perRound,
                rate: which === 'bare' ? RATE : null,
              },
              'bare',
            );
            if (!r.rtt) throw new Error(`bare baseline failed: ${r.error}`);
            (which === 'bare' ? bareLat : bareHotLat).push(...r.rtt);
          } else {
            redisLat.push(...(await pubsubRtt(perRound, RATE)));
          }
        }
        console.log(`round ${round}/${ROUNDS} done`);
      }

      // Phase B: throughput with INFLIGHT concurrent publishers.
      const cpuStartB = process.cpuUsage();
      const clientCpuStartB = (await clients.ask<Collected>({ type: 'collect' }, 'collected')).cpu;
      const startB = now();
      const endB = startB + SECONDS * 1000;
      let publishedB = 0;
      await Promise.all(
        Array.from({ length: INFLIGHT }, async () => {
          while (now() < endB) {
            const ch = `bench:${Math.floor(Math.random() * SESSIONS)}`;
            await services.events.publish({ channel: ch }, 'bench', { t: now() });
            publishedB++;
          }
        }),
      );
      const publishEnd = now();
      published += publishedB;
      const cB = await clients.drain(published, 60_000);
      const cpuB = process.cpuUsage(cpuStartB);
      if (cB.received < published) throw new Error(`only ${cB.received} of ${published} events arrived`);
      const drained = cB.recv.reduce((a, b) => Math.max(a, b), startB);
      const inWindow = cB.recv.filter((t) => t - clock.offset <= publishEnd).length;
      const latB = stats(cB.sent.map((t, i) => cB.recv[i]! - t));

      const ev = stats(eventLat);
      const ba = stats(bareLat);
      const rd = stats(redisLat);
      const hot = stats(bareHotLat);
      const secs = (publishEnd - startB) / 1000;
      console.log('');
      console.log(`A  event delivery (publish -> client), ${RATE}/s paced, ${SESSIONS} long-polls:`);
      console.log(`     ${fmt(ev)}`);
      console.log(
        `   bare Fastify GET round trip, same client process and agent, one at a time, ${RATE}/s paced:`,
      );
      console.log(`     ${fmt(ba)}`);
      console.log(`   the same, back to back (busy processes):`);
      console.log(`     ${fmt(hot)}`);
      console.log(`   Redis PUBLISH -> subscriber message round trip, ${RATE}/s paced:`);
      console.log(`     ${fmt(rd)}`);
      console.log(
        `   ratio event/bare-HTTP: p50 ${(ev.p50 / ba.p50).toFixed(2)}x  p99 ${(ev.p99 / ba.p99).toFixed(2)}x; ` +
          `event/Redis-pubsub: p50 ${(ev.p50 / rd.p50).toFixed(2)}x  p99 ${(ev.p99 / rd.p99).toFixed(2)}x`,
      );
      console.log(
        `   target p99 < ${TARGET_P99_MS} ms: ${ev.p99 < TARGET_P99_MS ? 'met' : 'NOT met'} (p99 ${ev.p99.toFixed(2)} ms)`,
      );
      if (tracer) {
        console.log(`   where the time goes (TRACE; server steps, last one across processes):`);
        for (const [step, ds] of steps) {
          const st = stats(ds);
          console.log(`     ${step.padEnd(52)} p50 ${st.p50.toFixed(2)}  p99 ${st.p99.toFixed(2)} ms`);
        }
      }
      console.log(`B  throughput, ${INFLIGHT} publishers in flight for ${secs.toFixed(1)} s:`);
      console.log(`     published ${publishedB} (${(publishedB / secs).toFixed(0)}/s)`);
      console.log(
        `     delivered during the window ${inWindow} (${(inWindow / secs).toFixed(0)}/s); ` +
          `all ${cB.sent.length} delivered after ${((drained - clock.offset - startB) / 1000).toFixed(2)} s ` +
          `(${(cB.sent.length / ((drained - clock.offset - startB) / 1000)).toFixed(0)}/s)`,
      );
      console.log(`     latency under load: ${fmt(latB)}`);
      const serverCpu = (cpuB.user + cpuB.system) / 1000;
      const clientCpu = cB.cpu - clientCpuStartB;
      const wall = drained - clock.offset - startB;
      console.log(
        `     CPU per delivered event: server ${((serverCpu * 1000) / cB.sent.length).toFixed(0)} us ` +
          `(${((100 * serverCpu) / wall).toFixed(0)}% of a core), clients ` +
          `${((clientCpu * 1000) / cB.sent.length).toFixed(0)} us (${((100 * clientCpu) / wall).toFixed(0)}% of a core)`,
      );
      console.log(`   client errors ${cB.errors}, event id gaps ${cB.gaps}`);
    }

    if (PHASES.includes('C')) {
      const r = await fanOut(
        appUrl,
        fan.postSid,
        FANOUT,
        FANOUT_ROUNDS,
        () => clients.collect(),
        clock.offset,
      );
      published += FANOUT * (FANOUT_ROUNDS + FANOUT_WARMUP);
      const last = stats(r.last);
      const all = stats(r.all);
      console.log(
        `C  fan-out: POST /api/user/metadata -> ${FANOUT} long-polls of one user, ${FANOUT_ROUNDS} rounds:`,
      );
      console.log(`     to the last session: ${fmt(last)}`);
      console.log(`     every delivery:      ${fmt(all)}`);
      console.log(`     the POST answered:   ${fmt(stats(r.answered))}`);
      console.log(
        `   target last < ${TARGET_FANOUT_MS} ms: ${last.p99 < TARGET_FANOUT_MS ? 'met' : 'NOT met'} (p99 ${last.p99.toFixed(1)} ms)`,
      );
    }

    if (PHASES.includes('D')) {
      // Alternating with the bare baseline (events-baseline.ts), so machine noise hits both.
      const figures = { bare: noFigures(), events: noFigures() };
      for (let round = 0; round < 2; round++) {
        const order = round % 2 ? (['events', 'bare'] as const) : (['bare', 'events'] as const);
        for (const kind of order.filter((k) => (k === 'events' ? !NO_EVENTS : !NO_BARE))) {
          const measured = measureRound();
          const clientCpu0 = (await clients.ask<Collected>({ type: 'collect' }, 'collected')).cpu;
          const d =
            kind === 'bare'
              ? await publishToUsers(
                  (i, t) => bareEvents.publish(bareUsers[i]!, t),
                  USERS,
                  USER_RATE,
                  SECONDS,
                )
              : await publishToUsers(
                  (i, t) => services.events.publish({ users: [users[i]!.uuid] }, 'bench_user', { t }),
                  USERS,
                  USER_RATE,
                  SECONDS,
                );
          published += d.published * USER_SESSIONS;
          const c = await clients.drain(published, 60_000);
          if (c.received < published) throw new Error(`only ${c.received} of ${published} events arrived`);
          measured.add(figures[kind], d, c, clientCpu0, clock.offset);
        }
      }
      console.log(
        `D  ${USERS} users x ${USER_SESSIONS} long-polls, ${USER_RATE} user events/s paced, 2 rounds of ${SECONDS} s each:`,
      );
      printPhaseD(figures);
      const last = await clients.ask<Collected>({ type: 'collect' }, 'collected');
      console.log(`   client errors ${last.errors}, event id gaps ${last.gaps}`);
    }
    if (inspector) {
      if (CPU_PROFILE) {
        const { profile } = await inspector.post('Profiler.stop');
        fs.writeFileSync(CPU_PROFILE, JSON.stringify(profile));
      }
      if (HEAP_PROFILE) {
        const { profile } = await inspector.post('HeapProfiler.stopSampling');
        fs.writeFileSync(HEAP_PROFILE, JSON.stringify(profile));
      }
      inspector.disconnect();
    }
  } finally {
    await clients.stop();
    await bareEvents.close();
    await app.close();
    await bare.close();
    await services.close();
    sub.disconnect();
    pub.disconnect();
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  // Background timers of the services (event upkeep) would keep the process alive.
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
