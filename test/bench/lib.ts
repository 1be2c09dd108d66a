/** Shared pieces of the in-process CPU benchmarks (policy, routing). */
export const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 2);
export const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Runs `batch` (which does `size` operations) until SECONDS have passed; returns ops/s. */
export function cpuRate(batch: () => void, size: number): number {
  const end = performance.now() + SECONDS * 1000;
  let ops = 0;
  const t0 = performance.now();
  while (performance.now() < end) {
    batch();
    ops += size;
  }
  return ops / ((performance.now() - t0) / 1000);
}
