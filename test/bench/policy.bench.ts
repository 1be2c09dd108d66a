/**
 * Policy benchmark (issue 6): the per-call work of partner policy.
 *
 *   npm run bench:policy
 *   BENCH_SECONDS=2 BENCH_ROUNDS=3 BENCH_INFLIGHT=256 npm run bench:policy
 *
 * Each figure is measured in alternating rounds against a baseline in the same
 * run, so machine noise hits both, and printed with the ratio:
 * - call filter: evaluations/s of a 250-operator filter (3 replaces, 247 RE2
 *   matches; the destinations fall through to the end, the worst case) vs. the
 *   same 247 patterns as V8 RegExp.test in a bare loop (the cost of the
 *   regexes alone, on a backtracking engine we may not use for user input);
 * - zone filter: rate() lookups/s with 250 entries (565 prefixes) vs. one
 *   Map.get per lookup (the fastest lookup that ignores prefix length), plus a
 *   linear scan of all prefixes for scale;
 * - credit: atomic Lua debits/s with BENCH_INFLIGHT debits in flight over
 *   BENCH_NODES connections vs. plain INCRBY with the same concurrency;
 *   acquire+release of the call limit for scale.
 * Targets (issue 6): >= 1,000,000 zone lookups/s, >= 10,000 debits/s.
 */
import os from 'node:os';
import type { Redis } from 'ioredis';
import {
  evaluateCallFilter,
  parseCallFilter,
  type CallService,
} from '../../src/domain/policy/call-filter.js';
import { parseZoneFilter, rate } from '../../src/domain/policy/zone-filter.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { CallLimiter } from '../../src/store/redis/call-limit.js';
import { CreditStore } from '../../src/store/redis/credit.js';
import { re2CallFilterCompiler } from '../../src/lib/re2-call-filter.js';
import { cpuRate, fmt, median, ROUNDS, SECONDS } from './lib.js';

const INFLIGHT = Number(process.env['BENCH_INFLIGHT'] ?? 256);
const NODES = Number(process.env['BENCH_NODES'] ?? 4);

async function ioRate(op: (i: number) => Promise<unknown>): Promise<number> {
  const end = performance.now() + SECONDS * 1000;
  let ops = 0;
  const t0 = performance.now();
  const worker = async (w: number): Promise<void> => {
    for (let i = w; performance.now() < end; i += INFLIGHT) {
      await op(i);
      ops += 1;
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, (_, w) => worker(w)));
  return ops / ((performance.now() - t0) / 1000);
}

type Row = { name: string; subject: string; baseline: string; s: number[]; b: number[] };
const rows: Row[] = [];

async function compare(
  name: string,
  subject: [string, () => number | Promise<number>],
  baseline: [string, () => number | Promise<number>],
): Promise<void> {
  const row: Row = { name, subject: subject[0], baseline: baseline[0], s: [], b: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? [subject, baseline] : [baseline, subject];
    for (const [label, fn] of order) {
      const v = await fn();
      (label === subject[0] ? row.s : row.b).push(v);
      console.log(`  ${name} round ${r + 1}: ${label} ${fmt(v)}/s`);
    }
  }
  rows.push(row);
}

// ---- call filter: 250 operators ----
function callFilterBench(): Promise<void> {
  const matches = Array.from({ length: 247 }, (_, i) => ({
    operator: 'match',
    key: i % 2 === 0 ? `^\\+49221${String(i).padStart(3, '0')}[0-9]{4}$` : `^\\+4${i % 10}[0-9]*${i % 7}55$`,
    pass: false,
  }));
  const json = [
    { operator: 'replace', key: '^00', value: '+' },
    { operator: 'replace', key: '^0', value: '+49' },
    { operator: 'replace', key: '^\\+4911', value: '11' },
    ...matches,
  ];
  const filter = parseCallFilter(json, re2CallFilterCompiler);
  if (filter.operators !== 250) throw new Error('expected 250 operators');
  const numbers = Array.from({ length: 64 }, (_, i) => `0221${50000 + i * 719}00`);
  const service: CallService = 'sip';
  for (const n of numbers) {
    const r = evaluateCallFilter(filter, { number: n, service });
    if (!r.allowed || !r.number.startsWith('+49')) throw new Error(`unexpected outcome for ${n}`);
  }
  const v8 = matches.map((m) => new RegExp(m.key));
  const rewritten = numbers.map((n) => n.replace(/^0/, '+49'));
  let sink = 0;
  return compare(
    'call filter (250 operators)',
    [
      'evaluateCallFilter (RE2)',
      () =>
        cpuRate(() => {
          for (const number of numbers)
            sink += evaluateCallFilter(filter, { number, service }).allowed ? 1 : 0;
        }, numbers.length),
    ],
    [
      'bare loop, 247 V8 RegExp.test',
      () =>
        cpuRate(() => {
          for (const number of rewritten) {
            let hit = false;
            for (const re of v8) if (re.test(number)) hit = true;
            sink += hit ? 0 : 1;
          }
        }, rewritten.length),
    ],
  ).then(() => {
    if (sink < 0) console.log(sink);
  });
}

// ---- zone filter: 250 entries ----
function zoneFilterBench(): Promise<void> {
  const entries = Array.from({ length: 250 }, (_, i) => {
    const cc = String(20 + i * 3);
    const prefix = [`+${cc}`];
    if (i % 2 === 0) prefix.push(`+${cc}1`, `+${cc}15`);
    if (i % 5 === 0) prefix.push(`+${cc}17`, `+${cc}160`);
    return { description: `zone ${i}`, prefix, cost: 10 + i };
  });
  entries.push({ description: 'rest', prefix: [''], cost: 999 });
  entries.shift();
  const zf = parseZoneFilter(entries);
  const all = entries.flatMap((e) => e.prefix.map((p) => ({ p, cost: e.cost })));
  const destinations = Array.from({ length: 1024 }, (_, i) => {
    const cc = String(20 + ((i * 37) % 260) * 3);
    return `+${cc}${String(1000000000 + i * 7777777).slice(0, 10)}`;
  });
  const byPrefix3 = new Map(all.map(({ p, cost }) => [p.slice(0, 4), cost]));
  let sink = 0;
  const lookups = (): number =>
    cpuRate(() => {
      for (const d of destinations) sink += rate(zf, d).cost;
    }, destinations.length);
  const naive = (): number =>
    cpuRate(() => {
      for (let k = 0; k < 64; k++) {
        const d = destinations[k]!;
        let best = -1;
        let cost = 0;
        for (const e of all)
          if (e.p.length > best && d.startsWith(e.p)) {
            best = e.p.length;
            cost = e.cost;
          }
        sink += cost;
      }
    }, 64);
  console.log(`  zone filter: ${entries.length} entries, ${all.length} prefixes`);
  return compare(
    'zone filter (250 entries)',
    ['rate() trie', lookups],
    [
      'Map.get(first 4 chars)',
      () =>
        cpuRate(() => {
          for (const d of destinations) sink += byPrefix3.get(d.slice(0, 4)) ?? 0;
        }, destinations.length),
    ],
  ).then(async () => {
    const v = naive();
    console.log(`  zone filter linear scan of ${all.length} prefixes, for scale: ${fmt(v)}/s`);
    if (sink < 0) console.log(sink);
  });
}

// ---- Redis credit ----
async function creditBench(redis: Redis[], prefix: string): Promise<void> {
  const stores = redis.map((c) => new CreditStore(c, prefix));
  const limiters = redis.map((c) => new CallLimiter(c, prefix));
  const group = `bench-${randomToken(6)}`;
  await stores[0]!.add(group, 1e15);
  const plainKey = `${prefix}bench:plain`;
  await compare(
    `credit debit (${INFLIGHT} in flight, ${NODES} connections)`,
    ['CreditStore.debit (Lua)', () => ioRate((i) => stores[i % NODES]!.debit(group, 139))],
    ['plain INCRBY', () => ioRate((i) => redis[i % NODES]!.incrby(plainKey, -139))],
  );
  const before = (await stores[0]!.get(group))!;
  const check = await Promise.all(Array.from({ length: 1000 }, (_, i) => stores[i % NODES]!.debit(group, 1)));
  if (check.some((r) => !r.ok) || (await stores[0]!.get(group)) !== before - 1000)
    throw new Error('debit lost');
  const limitRate = await ioRate(async (i) => {
    const lim = limiters[i % NODES]!;
    await lim.acquire(group, `call-${i}`, null);
    await lim.release(group, `call-${i}`);
  });
  console.log(`  call limit acquire+release pairs, for scale: ${fmt(limitRate)}/s`);
}

async function main(): Promise<void> {
  console.log(
    `policy bench: ${SECONDS}s x ${ROUNDS} rounds, node ${process.version}, ${os.cpus().length} cpus, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  await callFilterBench();
  await zoneFilterBench();
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const prefix = `cpbench:${randomToken(8)}:`;
  const redis = await Promise.all(Array.from({ length: NODES }, () => connectRedis(url)));
  try {
    await creditBench(redis, prefix);
  } finally {
    const keys = await redis[0]!.keys(`${prefix}*`);
    if (keys.length > 0) await redis[0]!.del(...keys);
    for (const c of redis) c.disconnect();
  }
  console.log('\nmedians:');
  for (const r of rows) {
    // Ratio per round (subject and baseline ran back to back), then the median.
    const ratio = median(r.s.map((v, k) => v / (r.b[k] ?? v)));
    console.log(
      `  ${r.name}: ${r.subject} ${fmt(median(r.s))}/s, ${r.baseline} ${fmt(median(r.b))}/s, ratio ${ratio.toFixed(2)}`,
    );
  }
  console.log(
    `load after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

await main();
