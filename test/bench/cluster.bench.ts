/**
 * Calls per second through Kamailio + 2 telephony nodes against 1 node
 * direct, in the same run, on the whole call path (carrier -> number ->
 * dialplan v2 -> trunk gate -> trunk, CDRs written; bench/call-path.ts).
 * Both nodes live in this process (one event loop: the cluster figure is
 * what one process's CPU does behind the proxy, so the difference to the
 * direct figure is the proxy's cost); Kamailio is a child process whose CPU
 * is read from /proc. Each rate runs SECONDS; the walk of each path stops at
 * its first unclean rate (failed calls or retransmissions).
 *
 *   npm run bench:cluster
 *   CLUSTER_BENCH_START=100 CLUSTER_BENCH_STEP=100 CLUSTER_BENCH_SECONDS=5 npm run bench:cluster
 */
import fs from 'node:fs';
import os from 'node:os';
import { KAMAILIO_AVAILABLE, startKamailio, type Kamailio } from '../helpers/kamailio.js';
import { SIPP_AVAILABLE } from '../helpers/sipp.js';
import {
  addTelephonyNode,
  createTelephonyHarness,
  freePort,
  type TelephonyHarness,
} from '../helpers/telephony.js';
import { carrierCps, fullPath } from './call-path.js';

const SECONDS = Number(process.env['CLUSTER_BENCH_SECONDS'] ?? 5);
const START = Number(process.env['CLUSTER_BENCH_START'] ?? 100);
const STEP = Number(process.env['CLUSTER_BENCH_STEP'] ?? 100);
const MAX = Number(process.env['CLUSTER_BENCH_MAX'] ?? 1500);

const TICK = 100; // USER_HZ on Linux
const load = (): string => os.loadavg()[0]!.toFixed(1);

/** CPU seconds (user + system) of a process and its children alive now, from /proc. */
function treeCpuSeconds(root: number): number {
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(fields[1]);
    if (pid === root || ppid === root) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / TICK;
}

async function run(h: TelephonyHarness, target: number, number: string, rate: number) {
  const r = await carrierCps(h, { target, number, rate, seconds: SECONDS });
  return { ...r, nodeUsPerCall: (r.cpu.user + r.cpu.system) / Math.max(1, r.successful) };
}

async function main(): Promise<void> {
  if (!SIPP_AVAILABLE || !KAMAILIO_AVAILABLE) {
    console.log('bench:cluster needs sipp and kamailio (bash scripts/setup.sh --test)');
    return;
  }
  const proxyPort = await freePort();
  // Each node with RTP ports for thousands of calls, as bench:sip's engine has: the tests' 100 pairs
  // run out when a stall piles calls up, and those calls fail as unavailable (480).
  const h = await createTelephonyHarness({
    SIP_PROXY: `127.0.0.1:${proxyPort}`,
    NODE_ID: 'bench-a',
    RTP_PORTS: '20000-29999',
  });
  const b = await addTelephonyNode(h, { nodeId: 'bench-b', rtpPorts: { min: 30000, max: 39999 } });
  let kamailio: Kamailio | undefined;
  try {
    kamailio = await startKamailio({
      port: proxyPort,
      nodes: [`127.0.0.1:${h.sipPort}`, `127.0.0.1:${b.sipPort}`],
    });
    const { number } = await fullPath(h);
    console.log(`${os.cpus().length} cores, ${SECONDS} s per rate, whole call path, PGlite`);
    console.log(
      'rate | 1 node direct: cps failed retrans µs/call | Kamailio + 2 nodes: cps failed retrans µs/call (nodes) µs/call (kamailio) | load',
    );
    let bestDirect = 0;
    let bestCluster = 0;
    let directOk = true;
    let clusterOk = true;
    for (let rate = START; rate <= MAX && (directOk || clusterOk); rate += STEP) {
      const d = directOk ? await run(h, h.sipPort, number, rate) : null;
      const k0 = treeCpuSeconds(kamailio.proc.pid!);
      const c = clusterOk ? await run(h, proxyPort, number, rate) : null;
      const kUs = c ? ((treeCpuSeconds(kamailio.proc.pid!) - k0) * 1e6) / Math.max(1, c.successful) : 0;
      const fmt = (r: Awaited<ReturnType<typeof run>> | null, extra = ''): string =>
        r
          ? `${r.cps.toFixed(0).padStart(5)} ${String(r.failed).padStart(6)} ${String(r.retransmissions).padStart(7)} ${r.nodeUsPerCall.toFixed(0).padStart(7)}${extra}`
          : '    -      -       -       -';
      console.log(
        `${String(rate).padStart(4)} | ${fmt(d)} | ${fmt(c, ` ${kUs.toFixed(0).padStart(7)}`)} | ${load()}`,
      );
      if (d) {
        if (d.failed === 0 && d.retransmissions === 0) bestDirect = Math.max(bestDirect, d.cps);
        else directOk = false;
      }
      if (c) {
        if (c.failed === 0 && c.retransmissions === 0) bestCluster = Math.max(bestCluster, c.cps);
        else clusterOk = false;
      }
    }
    if (bestDirect > 0 && bestCluster > 0)
      console.log(
        `highest clean: 1 node direct ${bestDirect.toFixed(0)} calls/s, Kamailio + 2 nodes (one process) ${bestCluster.toFixed(0)} calls/s: the proxy costs ${((1 - bestCluster / bestDirect) * 100).toFixed(0)} % of one node's rate`,
      );
    else console.log(`no clean rate from ${START}/s on one of the paths (load ${load()}): start lower`);
  } finally {
    await kamailio?.stop();
    await b.stop();
    await h.close();
  }
}

await main();
process.exit(0);
