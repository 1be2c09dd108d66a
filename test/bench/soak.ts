/**
 * A steady call churn for an hour (issue 14: nothing may grow): sipp calls
 * at SOAK_RATE calls/s through the whole per-call path (number -> dialplan
 * v2 -> trunk gate with call filter, limit, credit and zone billing ->
 * trunk; CDRs written, `cdr` events drained by a partner session), while the
 * engine's resident memory, heap, open files and Redis keys are sampled.
 * It prints each sample and, at the end, the growth of each figure from
 * the first sample (taken after a warm-up) to the last; aim < 5 %.
 *
 *   npm run soak                              one hour at 50 calls/s (PGlite)
 *   SOAK_SECONDS=300 SOAK_RATE=100 npm run soak
 *   BENCH_DATABASE=postgres npm run soak
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import os from 'node:os';
import { startSipp } from '../helpers/sipp.js';
import { createTelephonyHarness, type TelephonyHarness } from '../helpers/telephony.js';
import { cdrCollector, fullPath } from './call-path.js';

const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 3600);
const RATE = Number(process.env['SOAK_RATE'] ?? 50);
const WARMUP_S = Number(process.env['SOAK_WARMUP_SECONDS'] ?? Math.min(60, SECONDS / 5));
const SAMPLES = 10;
const DATABASE = process.env['BENCH_DATABASE'] === 'postgres' ? 'postgres' : 'pglite';

interface Sample {
  atS: number;
  rssMb: number;
  heapMb: number;
  openFiles: number;
  redisKeys: number;
  liveCalls: number;
  /** The database's own size: with the tests' in-memory PGlite it lives in this process's memory. */
  dbMb: number;
}

async function redisKeys(h: TelephonyHarness): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await h.redis.scan(cursor, 'MATCH', `${h.config.redisPrefix}*`, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

async function sample(h: TelephonyHarness, t0: number): Promise<Sample> {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return {
    atS: Math.round((Date.now() - t0) / 1000),
    rssMb: m.rss / 2 ** 20,
    heapMb: m.heapUsed / 2 ** 20,
    openFiles: fs.readdirSync('/proc/self/fd').length,
    redisKeys: await redisKeys(h),
    liveCalls: h.telephony.registry.size,
    dbMb:
      Number(
        (await sql<{ n: string }>`SELECT pg_database_size(current_database()) AS n`.execute(h.services.db))
          .rows[0]?.n ?? 0,
      ) /
      2 ** 20,
  };
}

const fmt = (s: Sample): string =>
  `t=${String(s.atS).padStart(5)} s  rss ${s.rssMb.toFixed(1)} MB  heap ${s.heapMb.toFixed(1)} MB  ` +
  `open files ${s.openFiles}  redis keys ${s.redisKeys}  live calls ${s.liveCalls}  db ${s.dbMb.toFixed(1)} MB  ` +
  `load ${os.loadavg()[0]!.toFixed(1)}`;

async function main(): Promise<void> {
  const h = await createTelephonyHarness({}, { database: DATABASE });
  try {
    const { number, partnerSid } = await fullPath(h);
    const cdrs = cdrCollector(h, partnerSid);
    const calls = Math.round(RATE * SECONDS);
    const uas = startSipp({
      scenario: 'uas-fast',
      localPort: h.trunkPort,
      calls: 1e9,
      traceMessages: false,
      timeoutSeconds: SECONDS + 60,
    });
    await uas.ready;
    const uac = startSipp({
      scenario: 'uac-fast',
      remote: `127.0.0.1:${h.sipPort}`,
      localPort: h.carrierPort,
      service: number.slice(1),
      calls,
      rate: RATE,
      traceMessages: false,
      timeoutSeconds: SECONDS + 60,
    });
    const t0 = Date.now();
    console.log(`soak: ${calls} calls at ${RATE}/s over ${SECONDS} s on ${DATABASE}, warm-up ${WARMUP_S} s`);
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
    const samples: Sample[] = [await sample(h, t0)];
    console.log(fmt(samples[0]!));
    const every = ((SECONDS - WARMUP_S) * 1000) / SAMPLES;
    const timer = setInterval(() => {
      void sample(h, t0).then((s) => {
        samples.push(s);
        console.log(fmt(s));
      });
    }, every);
    const result = await uac.done;
    clearInterval(timer);
    uas.kill();
    await uas.done;
    // The last CDRs and their events: until every CDR written is delivered (30 s at most).
    const written = async (): Promise<number> =>
      Number(
        (
          await h.services.db
            .selectFrom('cdrs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const until = Date.now() + 30_000;
    await new Promise((r) => setTimeout(r, 1000));
    while (Date.now() < until && cdrs.received() < (await written()))
      await new Promise((r) => setTimeout(r, 500));
    const cdrRows = await written();
    const last = await sample(h, t0);
    await cdrs.stop();
    console.log(fmt(last));
    const first = samples[0]!;
    const growth = (a: number, b: number): string => `${(((b - a) / a) * 100).toFixed(1)} %`;
    console.log(
      `soak: ${result.successful} calls ok, ${result.failed} failed, ${cdrRows} CDRs written, ${cdrs.received()} cdr events; ` +
        `growth rss ${growth(first.rssMb, last.rssMb)}, heap ${growth(first.heapMb, last.heapMb)}, ` +
        `open files ${growth(first.openFiles, last.openFiles)}, redis keys ${growth(first.redisKeys, last.redisKeys)}; ` +
        `rss less the database's own size ${growth(first.rssMb - (DATABASE === 'pglite' ? first.dbMb : 0), last.rssMb - (DATABASE === 'pglite' ? last.dbMb : 0))}`,
    );
  } finally {
    await h.close();
  }
}

await main();
