/**
 * Usage benchmark (spec 13.1.3-13.1.4): how long a month's GET /api/usage and
 * a day's GET /api/statistics take with 1 M CDRs in the database.
 *
 *   npm run bench:usage
 *   BENCH_CDRS=1000000 BENCH_USERS=5000 BENCH_DATABASES=postgres,pglite npm run bench:usage
 *
 * Seeds BENCH_USERS users of 50 partners and BENCH_CDRS CDRs spread over the
 * twelve months of 2031 (INSERT ... SELECT in batches of 100,000, so the
 * cdrs trigger keeps usage_totals up to date as in production), then times
 * UsageService.load (what both endpoints run) for a month and a day, against
 * the baseline of aggregating the same month straight from the CDRs through
 * an index on date_ms (what the query would cost without the totals), in
 * the same run. Target: a month's query under 100 ms at 1 M CDRs.
 */
import os from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { randomToken } from '../../src/lib/ids.js';
import { LiveCounters } from '../../src/store/redis/live-counters.js';
import { openDatabase, type OpenedDatabase } from '../../src/store/db.js';
import { UsageService } from '../../src/services/usage-service.js';
import { fmt, median } from './lib.js';
import { connectRedis } from '../../src/lib/redis.js';

const CDRS = Number(process.env['BENCH_CDRS'] ?? 1_000_000);
const USERS = Number(process.env['BENCH_USERS'] ?? 5000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);
const DATABASES = (process.env['BENCH_DATABASES'] ?? 'postgres,pglite').split(',');
const PG_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BATCH = 100_000;
const YEAR_START = Date.UTC(2031, 0, 1);
const YEAR_MS = Date.UTC(2032, 0, 1) - YEAR_START;

async function openBench(kind: string): Promise<{ opened: OpenedDatabase; drop: () => Promise<void> }> {
  if (kind === 'pglite')
    return { opened: await openDatabase({ pgliteDir: 'memory://' }), drop: async () => {} };
  const name = `cp_bench_${randomToken(8).toLowerCase()}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const opened = await openDatabase({ databaseUrl: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`) });
  return {
    opened,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function seed(o: OpenedDatabase): Promise<number> {
  const db = o.db;
  await sql`INSERT INTO partners (id, name, key_hash, created_us)
    SELECT gen_random_uuid(), 'partner' || i, 'x', 0 FROM generate_series(1, 50) i`.execute(db);
  await sql`INSERT INTO users (uuid, username, firstname, lastname, display_name, system_tags, created_us, partner_id)
    SELECT gen_random_uuid(), 'user' || i, '', '', '', '{}'::jsonb, 0,
      CASE WHEN i % 5 = 0 THEN NULL ELSE (SELECT id FROM partners ORDER BY name OFFSET (i % 50) LIMIT 1) END
    FROM generate_series(1, ${sql.lit(USERS)}) i`.execute(db);
  await sql`CREATE TEMP TABLE bench_users AS SELECT row_number() OVER () AS n, uuid, partner_id FROM users`.execute(
    db,
  );
  const t0 = performance.now();
  for (let done = 0; done < CDRS; done += BATCH) {
    const n = Math.min(BATCH, CDRS - done);
    await sql`INSERT INTO cdrs (id, partner_id, user_id, phone, date_ms, service, a_number, b_number,
        t_pre, t_post, q850, published, created_us, cost, recording_id)
      SELECT gen_random_uuid(), u.partner_id, u.uuid, '+4922155' || g.i,
        ${sql.lit(YEAR_START)}::bigint + floor(random() * ${sql.lit(YEAR_MS)})::bigint, 'call',
        CASE WHEN g.i % 2 = 0 THEN '+4930123' END, CASE WHEN g.i % 2 = 1 THEN '+4930123' END,
        3, floor(random() * 300)::int, 16, true, 0, floor(random() * 20)::int,
        CASE WHEN g.i % 10 = 0 THEN gen_random_uuid() END
      FROM generate_series(${sql.lit(done + 1)}, ${sql.lit(done + n)}) AS g(i)
      JOIN bench_users u ON u.n = 1 + (g.i::bigint * 7919) % ${sql.lit(USERS)}`.execute(db);
  }
  return performance.now() - t0;
}

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;
const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function benchOne(kind: string): Promise<void> {
  const { opened, drop } = await openBench(kind);
  try {
    const seedMs = await seed(opened);
    // The baseline's index: what a direct aggregation would be given to work with.
    await sql`CREATE INDEX bench_cdrs_date ON cdrs (date_ms) INCLUDE (partner_id, user_id, t_post)`.execute(
      opened.db,
    );
    await sql`ANALYZE`.execute(opened.db);
    const usage = new UsageService(opened.db, new LiveCounters(redis, `cpbench:${randomToken(6)}:`), {
      hasPermission: async () => true,
    });
    const rows = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM usage_totals WHERE period = '2031-06'`.execute(opened.db);
    const month = await timed(() => usage.load('2031-06'));
    const day = await timed(() => usage.load('2031-06-15'));
    const from = Date.UTC(2031, 5, 1);
    const to = Date.UTC(2031, 6, 1);
    const direct = await timed(() =>
      sql`SELECT partner_id, user_id, count(*) FILTER (WHERE a_number IS NOT NULL), count(*) FILTER (WHERE b_number IS NOT NULL),
            sum(t_post), sum(cost), count(recording_id)
          FROM cdrs WHERE date_ms >= ${sql.lit(from)} AND date_ms < ${sql.lit(to)} GROUP BY partner_id, user_id`.execute(
        opened.db,
      ),
    );
    // The part of the month's answer that is the database's: the period's rows, nothing joined or built.
    const raw = await timed(() =>
      sql`SELECT * FROM usage_totals WHERE period = '2031-06'`.execute(opened.db),
    );
    const check = await usage.load('2031-06');
    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    console.log(`\n${kind}: ${fmt(CDRS)} CDRs, ${fmt(USERS)} users, 50 partners (load ${load})`);
    console.log(
      `  seeding (trigger on): ${(seedMs / 1000).toFixed(1)} s, ${fmt(CDRS / (seedMs / 1000))} CDRs/s`,
    );
    console.log(
      `  month 2031-06: ${fmt(Number(rows.rows[0]?.n ?? 0))} total rows, ${fmt(check!.total.calls_in + check!.total.calls_out)} calls`,
    );
    console.log(
      `  GET /api/usage/2031-06 (UsageService.load): median ${ms(median(month))}, p95 ${ms(p95(month))}`,
    );
    console.log(
      `  GET /api/statistics/2031-06-15:            median ${ms(median(day))}, p95 ${ms(p95(day))}`,
    );
    console.log(
      `  of the month, reading its rows alone:      median ${ms(median(raw))}, p95 ${ms(p95(raw))}`,
    );
    console.log(
      `  baseline, the month aggregated from cdrs:   median ${ms(median(direct))}, p95 ${ms(p95(direct))}`,
    );
    console.log(`  ratio baseline / usage: ${(median(direct) / median(month)).toFixed(1)}x`);
    console.log(`  target < 100 ms for the month: ${median(month) < 100 ? 'met' : 'NOT met'}`);
  } finally {
    await opened.close();
    await drop();
  }
}

const redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
try {
  for (const kind of DATABASES) await benchOne(kind.trim());
} finally {
  redis.disconnect();
}
