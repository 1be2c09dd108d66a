/**
 * SIP call-rate baseline: sipp UAC straight to a sipp UAS (uac-fast.xml /
 * uas-fast.xml: INVITE, 200, ACK, BYE, 200; no media, no pause), no B2BUA in
 * between. The figure a B2BUA benchmark is held against: on the same machine,
 * callplane in the middle can at best reach this.
 *
 *   node --import tsx test/bench/sip-baseline.ts
 *   SIP_BASELINE_RATES=1000,2000 SIP_BASELINE_SECONDS=10 node --import tsx test/bench/sip-baseline.ts
 *
 * Each rate runs for SIP_BASELINE_SECONDS (default 5); the sweep stops at the
 * first rate with failed calls or below 95 % of the rate asked for.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIPP_AVAILABLE, freePorts, runSipp, startSipp } from '../helpers/sipp.js';

export interface SippCpsResult {
  /** Successful calls per second, by sipp's own clock. */
  cps: number;
  failed: number;
  seconds: number;
  successful: number;
  retransmissions: number;
}

/** Runs `calls` calls at `rate` per second (at most `concurrent` open) sipp to sipp. */
export async function sippDirectCps(opts: {
  calls: number;
  rate: number;
  concurrent?: number;
}): Promise<SippCpsResult> {
  const [uasPort, uacPort] = await freePorts(2);
  // Enough for sipp to give up on a lost INVITE or BYE (5 retransmissions from 0.5 s).
  const timeoutSeconds = Math.ceil(opts.calls / opts.rate) + 15;
  // No call limit on the UAS: under load an INVITE retransmitted after its call
  // ended opens (and fails) one more call there, and the UAS would stop early.
  const uas = startSipp({
    scenario: 'uas-fast',
    localPort: uasPort!,
    calls: 1_000_000_000,
    traceMessages: false,
    timeoutSeconds,
  });
  await uas.ready;
  const t0 = performance.now();
  const uac = await runSipp({
    scenario: 'uac-fast',
    remote: `127.0.0.1:${uasPort}`,
    localPort: uacPort!,
    service: '100',
    calls: opts.calls,
    rate: opts.rate,
    ...(opts.concurrent !== undefined ? { concurrent: opts.concurrent } : {}),
    traceMessages: false,
    timeoutSeconds,
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  uas.kill();
  await uas.done;
  const seconds = uac.elapsedSeconds > 0 ? uac.elapsedSeconds : wallSeconds;
  return {
    cps: uac.successful / seconds,
    failed: uac.failed + Math.max(0, opts.calls - uac.successful - uac.failed),
    seconds,
    successful: uac.successful,
    retransmissions: Number(uac.stats['Retransmissions(C)'] ?? 0),
  };
}

async function main(): Promise<void> {
  if (!SIPP_AVAILABLE) {
    console.log('sipp is not installed (apt-get install sip-tester, or scripts/setup.sh --test)');
    return;
  }
  const seconds = Number(process.env['SIP_BASELINE_SECONDS'] ?? 5);
  const rates = (process.env['SIP_BASELINE_RATES'] ?? '500,1000,2000,3000,4000,5000,6000,8000')
    .split(',')
    .map(Number);
  console.log(`sipp uac-fast -> sipp uas-fast, 127.0.0.1 UDP, ${seconds} s per rate`);
  console.log('rate asked   calls   successful   failed   retrans   seconds   cps');
  for (const rate of rates) {
    const calls = Math.round(rate * seconds);
    const r = await sippDirectCps({ calls, rate });
    console.log(
      `${String(rate).padStart(10)} ${String(calls).padStart(7)} ${String(r.successful).padStart(12)} ` +
        `${String(r.failed).padStart(8)} ${String(r.retransmissions).padStart(9)} ${r.seconds.toFixed(2).padStart(9)} ` +
        `${r.cps.toFixed(0).padStart(5)}`,
    );
    if (r.failed > 0 || r.cps < rate * 0.95) break;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
