/**
 * What the operator endpoints cost (issue 22):
 *
 * 1. HTTP metrics overhead: requests/s of `GET /api/language` (the cheapest
 *    route, where per-request hooks weigh most) on the real app with the
 *    request-duration and answer-status hooks, against the same app built
 *    without them (the baseline), same run, alternating rounds. Ratio =
 *    with / without.
 * 2. Scrape time of `GET /metrics` with the event log holding many session
 *    streams: the first scrape walks Redis' keys (SCAN + XLEN), later ones
 *    within 15 s reuse that figure; against the time of `GET /health`.
 *
 *   npm run bench:ops
 *   BENCH_SECONDS=10 BENCH_ROUNDS=5 BENCH_STREAMS=20000 npm run bench:ops
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config/index.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { createServices } from '../../src/services/index.js';
import { openDatabase } from '../../src/store/db.js';
import { deleteKeys } from '../helpers/redis-keys.js';
import { median } from './lib.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
const STREAMS = Number(process.env['BENCH_STREAMS'] ?? 5000);
const EVENTS_PER_STREAM = 5;

interface RunResult {
  rps: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
}

// autocannon in a child process, so the load generator does not share the server's event loop.
const LOADER_SOURCE = `
const [autocannonPath, opts] = process.argv.slice(1);
require(autocannonPath)(JSON.parse(opts)).then((r) => console.log(JSON.stringify({
  rps: r.requests.average, non2xx: r.non2xx, errors: r.errors, p50: r.latency.p50, p99: r.latency.p99,
})), (e) => { console.error(String(e)); process.exit(1); });
`;
const autocannonPath = createRequire(import.meta.url).resolve('autocannon');

function load(url: string, seconds: number): Promise<RunResult> {
  const opts = { url, connections: CONNECTIONS, pipelining: 1, duration: seconds };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', LOADER_SOURCE, autocannonPath, JSON.stringify(opts)],
      { timeout: (seconds + 30) * 1000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`autocannon failed: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout) as RunResult);
      },
    );
  });
}

async function timeGet(url: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url);
  await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status} from ${url}`);
  return performance.now() - t;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-bench-'));
  const prefix = `cpbench:${randomToken(8)}:`;
  const config = loadConfig({ DATA_DIR: dataDir, REDIS_URL: process.env['REDIS_URL'], REDIS_PREFIX: prefix });
  const redis = await connectRedis(config.redisUrl);
  const database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
  const services = createServices({ config, db: database.db, redis });
  const withMetrics = await buildApp(services);
  const without = await buildApp(services, { httpMetrics: false });
  try {
    const withUrl = `${await withMetrics.listen({ port: 0, host: '127.0.0.1' })}/api/language`;
    const withoutUrl = `${await without.listen({ port: 0, host: '127.0.0.1' })}/api/language`;
    console.log(
      `HTTP metrics overhead: warm-up, then ${ROUNDS} alternating rounds of ${SECONDS}s, ` +
        `${CONNECTIONS} connections, ${os.cpus().length} cores, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`,
    );
    await load(withUrl, 2);
    await load(withoutUrl, 2);
    const runs = { with: [] as RunResult[], without: [] as RunResult[] };
    for (let round = 1; round <= ROUNDS; round++) {
      const order: Array<'with' | 'without'> = round % 2 ? ['with', 'without'] : ['without', 'with'];
      for (const which of order) {
        const r = await load(which === 'with' ? withUrl : withoutUrl, SECONDS);
        if (r.non2xx || r.errors) throw new Error(`${which}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        runs[which].push(r);
        console.log(
          `round ${round} ${which.padEnd(7)} ${r.rps.toFixed(0).padStart(7)} req/s (p50 ${r.p50} ms, p99 ${r.p99} ms)`,
        );
      }
    }
    const a = median(runs.with.map((r) => r.rps));
    const b = median(runs.without.map((r) => r.rps));
    console.log(
      `with HTTP metrics ${a.toFixed(0)} req/s, without ${b.toFixed(0)} req/s: ratio ${(a / b).toFixed(2)}`,
    );

    // Many session streams, as many logged-in clients leave behind.
    const t0 = performance.now();
    for (let i = 0; i < STREAMS; i += 500) {
      const batch = [];
      for (let j = i; j < Math.min(STREAMS, i + 500); j++)
        for (let e = 0; e < EVENTS_PER_STREAM; e++)
          batch.push(
            services.eventLog.appendMany([
              {
                sid: `bench${j}`,
                body: JSON.stringify({ event: 'user_modify', time: Math.floor(Date.now() / 1000) }),
              },
            ]),
          );
      await Promise.all(batch);
    }
    console.log(
      `seeded ${STREAMS} session streams x ${EVENTS_PER_STREAM} events in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
        `Redis holds ${await redis.dbsize()} keys in all`,
    );
    const base = withUrl.replace(/\/api\/language$/, '');
    const first = await timeGet(`${base}/metrics`);
    const cached: number[] = [];
    const health: number[] = [];
    for (let i = 0; i < 20; i++) {
      cached.push(await timeGet(`${base}/metrics`));
      health.push(await timeGet(`${base}/health`));
    }
    const text = await (await fetch(`${base}/metrics`)).text();
    const depth = /^callplane_event_log_depth (\d+)/m.exec(text)?.[1];
    console.log(
      `GET /metrics: first ${first.toFixed(1)} ms (event log scan, depth ${depth}), then median ${median(cached).toFixed(1)} ms; ` +
        `GET /health median ${median(health).toFixed(2)} ms; ratio first/health ${(first / median(health)).toFixed(0)}x, ` +
        `cached/health ${(median(cached) / median(health)).toFixed(1)}x; ${text.length} bytes`,
    );
  } finally {
    await withMetrics.close();
    await without.close();
    await services.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
