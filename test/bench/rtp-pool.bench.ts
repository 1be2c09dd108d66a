/**
 * RTP port pool: CPU per media session opened and closed, with released
 * sockets kept bound for their port's next turn (the default) against a
 * bind and a close per session (idleSocketMs 0, how the pool worked before),
 * in the same run. Each round opens BENCH_SESSIONS sessions one after the
 * other over a range of BENCH_PAIRS port pairs, closing each at once, so the
 * range is walked many times, as under a steady call load; a warm-up walk of
 * the whole range comes first. Rounds alternate the two ways; printed per
 * round: µs of process CPU per session; then the medians and their ratio.
 *
 *   npm run bench:rtp-pool
 *   BENCH_SESSIONS=50000 BENCH_PAIRS=2000 BENCH_ROUNDS=5 npm run bench:rtp-pool
 */
import { RtpPortPool } from '../../src/telephony/embedded/rtp/index.js';
import { median } from './lib.js';

const SESSIONS = Number(process.env['BENCH_SESSIONS'] ?? 20_000);
const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 1_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const MIN = Number(process.env['BENCH_RTP_MIN'] ?? 36_000);

type Way = 'kept' | 'bind';

async function round(way: Way): Promise<number> {
  const pool = new RtpPortPool({
    host: '127.0.0.1',
    min: MIN,
    max: MIN + 2 * PAIRS - 1,
    ...(way === 'bind' ? { idleSocketMs: 0 } : {}),
  });
  try {
    for (let i = 0; i < PAIRS; i++) await (await pool.open()).close();
    const closing: Array<Promise<void>> = [];
    const before = process.cpuUsage();
    for (let i = 0; i < SESSIONS; i++) closing.push((await pool.open()).close());
    await Promise.all(closing);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / SESSIONS;
  } finally {
    await pool.close();
  }
}

async function main(): Promise<void> {
  console.log(`${SESSIONS} sessions per round over ${PAIRS} port pairs, ${ROUNDS} rounds of each way`);
  const figures: Record<Way, number[]> = { kept: [], bind: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // Alternating order, so that drift of the machine falls on both ways.
    for (const way of (r % 2 === 0 ? ['bind', 'kept'] : ['kept', 'bind']) as Way[]) {
      const us = await round(way);
      figures[way].push(us);
      console.log(
        `round ${r + 1} ${way === 'kept' ? 'kept sockets ' : 'bind + close '}: ${us.toFixed(1)} µs CPU per session`,
      );
    }
  }
  const kept = median(figures.kept);
  const bind = median(figures.bind);
  console.log(
    `median: kept sockets ${kept.toFixed(1)} µs, bind + close ${bind.toFixed(1)} µs per session; ratio ${(kept / bind).toFixed(2)}`,
  );
}

await main();
