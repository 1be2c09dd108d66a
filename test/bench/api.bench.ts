/**
 * API overhead benchmark (issue 2): requests/s of an authenticated
 * `GET /api/user` on the real app (real Redis session lookup, embedded PGlite,
 * envelope, schemas) against a bare Fastify route returning a constant JSON
 * object, measured in the same run with the same autocannon settings and
 * alternating rounds so machine noise hits both. Target: ratio >= 0.5.
 *
 *   npm run bench:api
 *   BENCH_SECONDS=10 BENCH_ROUNDS=5 BENCH_CONNECTIONS=10 npm run bench:api
 *   BENCH_DATABASE=postgres npm run bench:api     (PostgreSQL instead of PGlite)
 *
 * Both servers log nothing (logger off), as a load test of request handling.
 * The load generator runs in a child process, so it does not share the
 * servers' event loop. Figures go into BENCHMARKS.md.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config/index.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { createServices } from '../../src/services/index.js';
import { openDatabase } from '../../src/store/db.js';
import { deleteKeys } from '../helpers/redis-keys.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
const API_PATH = process.env['BENCH_PATH'] ?? '/api/user';
const TARGET_RATIO = 0.5;
// BENCH_DATABASE=postgres measures the production path on a throw-away PostgreSQL database.
const USE_POSTGRES = process.env['BENCH_DATABASE'] === 'postgres';
const PG_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cp_bench_${randomToken(10).toLowerCase()}`;
  const admin = async (query: string): Promise<void> => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(query);
    await c.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  return {
    url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

interface RunResult {
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
}

// Runs autocannon in a child process (autocannon treats a worker thread as one of
// its own workers and reports partial results there); plain CommonJS, no TS loader.
const LOADER_SOURCE = `
const [autocannonPath, opts] = process.argv.slice(1);
require(autocannonPath)(JSON.parse(opts)).then((r) => console.log(JSON.stringify({
  rps: r.requests.average, total: r.requests.total, non2xx: r.non2xx, errors: r.errors,
  timeouts: r.timeouts, p50: r.latency.p50, p99: r.latency.p99,
})), (e) => { console.error(String(e)); process.exit(1); });
`;
const autocannonPath = createRequire(import.meta.url).resolve('autocannon');

function load(url: string, headers: Record<string, string>, seconds: number): Promise<RunResult> {
  const opts = { url, headers, connections: CONNECTIONS, pipelining: 1, duration: seconds };
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

async function getJson(url: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`HTTP ${res.status} from ${url}`);
  return (await res.json()) as Record<string, unknown>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-bench-'));
  const prefix = `cpbench:${randomToken(8)}:`;
  const config = loadConfig({
    DATA_DIR: dataDir,
    REDIS_URL: process.env['REDIS_URL'],
    REDIS_PREFIX: prefix,
    SESSION_CREATE_LIMIT: '1000',
  });
  const redis = await connectRedis(config.redisUrl);
  const pgDatabase = USE_POSTGRES ? await createPostgresDatabase() : null;
  // The embedded default runs on disk, as `callplane start` runs it.
  const database = await openDatabase(
    pgDatabase ? { databaseUrl: pgDatabase.url } : { pgliteDir: path.join(dataDir, 'pglite') },
  );
  const services = createServices({ config, db: database.db, redis });
  const app = await buildApp(services);
  const bare: FastifyInstance = Fastify({ logger: false });
  bare.get('/bare', async () => ({ status: 'ok', hello: 'world' }));

  try {
    const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

    await services.users.create({
      username: 'johndoe47',
      password: 'secret12345',
      email: null,
      partnerId: null,
    });
    const login = await fetch(`${appUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'johndoe47', password: 'secret12345' }),
    });
    const { sid } = (await login.json()) as { sid?: string };
    if (!sid) throw new Error('login failed');
    const auth = { authorization: `Bearer ${sid}` };

    // Every answer is HTTP 200 (spec 2.1), so check the envelope before and after the load.
    const check = async (): Promise<void> => {
      const body = await getJson(appUrl + API_PATH, auth);
      if (body['status'] !== 'ok') throw new Error(`${API_PATH} answered ${JSON.stringify(body)}`);
    };
    await check();

    console.log(
      `${USE_POSTGRES ? 'PostgreSQL' : 'PGlite'}; warm-up, then ${ROUNDS} alternating rounds of ${SECONDS}s, ${CONNECTIONS} connections, ` +
        `${os.cpus().length} cores, node ${process.version}`,
    );
    await load(appUrl + API_PATH, auth, 2);
    await load(`${bareUrl}/bare`, {}, 2);

    const apiRuns: RunResult[] = [];
    const bareRuns: RunResult[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate which goes first, so a slow stretch of the machine does not favour one side.
      const order: Array<'api' | 'bare'> = round % 2 ? ['api', 'bare'] : ['bare', 'api'];
      for (const which of order) {
        const r =
          which === 'api'
            ? await load(appUrl + API_PATH, auth, SECONDS)
            : await load(`${bareUrl}/bare`, {}, SECONDS);
        (which === 'api' ? apiRuns : bareRuns).push(r);
        if (r.non2xx || r.errors || r.timeouts) {
          throw new Error(`${which}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
        }
        console.log(
          `round ${round} ${which.padEnd(4)} ${r.rps.toFixed(0).padStart(7)} req/s ` +
            `(p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.total} requests)`,
        );
      }
    }
    await check();

    const apiRps = median(apiRuns.map((r) => r.rps));
    const bareRps = median(bareRuns.map((r) => r.rps));
    const ratio = apiRps / bareRps;
    console.log(`GET ${API_PATH} (authenticated): ${apiRps.toFixed(0)} req/s (median)`);
    console.log(`bare Fastify JSON route:        ${bareRps.toFixed(0)} req/s (median)`);
    console.log(
      `ratio ${ratio.toFixed(2)} (target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
    );
  } finally {
    await app.close();
    await bare.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await database.close();
    await pgDatabase?.drop();
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
