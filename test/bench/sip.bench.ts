/**
 * The embedded B2BUA under sipp load, each figure next to a baseline from
 * the same run:
 *  1. calls/s (INVITE/200/ACK/BYE, no media) carrier -> number -> dialplan v2
 *     -> trunk, against sipp UAC -> sipp UAS directly;
 *  2. REGISTER/s with digest authentication (two transactions each);
 *  3. concurrent anchored G.711 calls with RTP both ways (sipp pcap playback):
 *     packets relayed, packets lost, CPU µs per relayed packet.
 *
 *   npm run bench:sip                        (PGlite, the embedded default)
 *   TEST_DATABASE=postgres npm run bench:sip (PostgreSQL)
 *   SIP_BENCH_RATES=250,500,750 SIP_BENCH_SECONDS=6 SIP_BENCH_CONCURRENT=200 npm run bench:sip
 */
import os from 'node:os';
import type { RtpSession } from '../../src/telephony/embedded/rtp/session.js';
import { readPcapRtp } from '../helpers/pcap.js';
import { dialplanV2, sipAccount, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { freePorts, runSipp, SIPP_AVAILABLE, startSipp } from '../helpers/sipp.js';
import { createTelephonyHarness, type TelephonyHarness } from '../helpers/telephony.js';
import { sippDirectCps } from './sip-baseline.js';

const SECONDS = Number(process.env['SIP_BENCH_SECONDS'] ?? 5);
const RATES = (process.env['SIP_BENCH_RATES'] ?? '250,500,750,1000').split(',').map(Number);
const CONCURRENT = Number(process.env['SIP_BENCH_CONCURRENT'] ?? 200);
const PCAP = '/usr/share/sip-tester/g711a.pcap';
/** Which parts to run: calls, register, media (comma list; default all). */
const ONLY = new Set((process.env['SIP_BENCH_ONLY'] ?? 'calls,register,media').split(','));

const load = (): string => os.loadavg()[0]!.toFixed(1);

async function numberToTrunk(h: TelephonyHarness): Promise<string> {
  const { user, numbers } = await userWithNumbers(h);
  const dialplan = await dialplanV2(h, user.sid, { profiles: [{ parallel: { targets: ['+4930123456'] } }] });
  await updatePhone(h, user.sid, numbers[0]!, { dialplan });
  return numbers[0]!;
}

async function b2buaCps(h: TelephonyHarness, number: string, rate: number) {
  const calls = Math.round(rate * SECONDS);
  const timeoutSeconds = Math.ceil(calls / rate) + 20;
  const uas = startSipp({
    scenario: 'uas-fast',
    localPort: h.trunkPort,
    calls: 1e9,
    traceMessages: false,
    timeoutSeconds,
  });
  await uas.ready;
  const uac = await runSipp({
    scenario: 'uac-fast',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: h.carrierPort,
    service: number.slice(1),
    calls,
    rate,
    traceMessages: false,
    timeoutSeconds,
  });
  uas.kill();
  await uas.done;
  const seconds = uac.elapsedSeconds || SECONDS;
  return {
    cps: uac.successful / seconds,
    failed: uac.failed + Math.max(0, calls - uac.successful - uac.failed),
    retransmissions: Number(uac.stats['Retransmissions(C)'] ?? 0),
  };
}

async function registerRate(h: TelephonyHarness, rate: number) {
  const u = await h.user();
  const acc = await sipAccount(h, u.sid);
  const calls = Math.round(rate * SECONDS);
  const [port] = await freePorts(1);
  const r = await runSipp({
    scenario: 'register',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: port!,
    calls,
    rate,
    auth: { username: acc.name, password: acc.password },
    vars: { user: acc.name, domain: acc.domain, expires: '600' },
    traceMessages: false,
    timeoutSeconds: SECONDS + 20,
  });
  const seconds = r.elapsedSeconds || SECONDS;
  return { rps: r.successful / seconds, failed: r.failed + Math.max(0, calls - r.successful - r.failed) };
}

async function mediaLoad(h: TelephonyHarness, calls: number) {
  // Every RTP endpoint the engine opens, to read the relay's own counters.
  const sessions: RtpSession[] = [];
  const pool = h.telephony.adapter.pool;
  const open = pool.open.bind(pool);
  pool.open = async () => {
    const s = await open();
    sessions.push(s);
    return s;
  };
  const { user, numbers } = await userWithNumbers(h);
  const dialplan = await dialplanV2(h, user.sid, { profiles: [{ parallel: { targets: ['+4930123456'] } }] });
  await updatePhone(h, user.sid, numbers[0]!, { dialplan });
  const pcap = readPcapRtp(PCAP);
  const hold = String(Math.ceil(pcap.durationMs) + 1500);
  const timeoutSeconds = 60;
  const uas = startSipp({
    scenario: 'uas-answer',
    localPort: h.trunkPort,
    calls,
    pcap: PCAP,
    traceMessages: false,
    timeoutSeconds,
  });
  await uas.ready;
  // Counters are read from the moment every call is up until they all end.
  const samples: Array<{ cpu: NodeJS.CpuUsage; t: number }> = [];
  const stats = new Map<RtpSession, { packetsIn: number; packetsOut: number; lost: number }>();
  const poll = setInterval(() => {
    for (const s of sessions) stats.set(s, s.stats);
  }, 250);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const uac = await runSipp({
    scenario: 'uac-call',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: h.carrierPort,
    service: numbers[0]!.slice(1),
    calls,
    rate: 100,
    concurrent: calls,
    pcap: PCAP,
    vars: { hold_ms: hold },
    traceMessages: false,
    timeoutSeconds,
  });
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  clearInterval(poll);
  samples.push({ cpu, t: wall });
  const callee = await uas.done;
  pool.open = open;
  for (const s of sessions) stats.set(s, s.stats);
  let packetsIn = 0;
  let packetsOut = 0;
  let seqLost = 0;
  for (const st of stats.values()) {
    packetsIn += st.packetsIn;
    packetsOut += st.packetsOut;
    seqLost += st.lost;
  }
  const expected = calls * 2 * pcap.count;
  return {
    calls: uac.successful,
    calleeCalls: callee.successful,
    failed: uac.failed,
    expected,
    packetsIn,
    relayed: packetsOut,
    notRelayed: packetsIn - packetsOut,
    lostBeforeRelay: Math.max(0, expected - packetsIn),
    seqLost,
    usPerPacket: ((cpu.user + cpu.system) / Math.max(1, packetsOut)).toFixed(2),
    cpuPercent: (((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(0),
  };
}

async function main(): Promise<void> {
  if (!SIPP_AVAILABLE) {
    console.log('sipp is not installed (scripts/setup.sh --test installs sip-tester)');
    return;
  }
  console.log(`database: ${process.env['TEST_DATABASE'] ?? 'pglite'}, ${SECONDS} s per rate, load ${load()}`);
  const h = await createTelephonyHarness({
    LOG_LEVEL: 'silent',
    SESSION_CREATE_LIMIT: '100000',
    RTP_PORTS: process.env['BENCH_RTP_PORTS'] ?? '20000-29999',
  });
  try {
    const number = await numberToTrunk(h);
    if (ONLY.has('calls')) console.log('\n1. calls/s, INVITE/200/ACK/BYE without media');
    console.log('rate   direct cps  failed | b2bua cps  failed  retrans | ratio  load');
    for (const rate of ONLY.has('calls') ? RATES : []) {
      const direct = await sippDirectCps({ calls: Math.round(rate * SECONDS), rate });
      const b2bua = await b2buaCps(h, number, rate);
      console.log(
        `${String(rate).padStart(4)}   ${direct.cps.toFixed(0).padStart(10)}  ${String(direct.failed).padStart(6)} | ` +
          `${b2bua.cps.toFixed(0).padStart(9)}  ${String(b2bua.failed).padStart(6)}  ${String(b2bua.retransmissions).padStart(7)} | ` +
          `${(b2bua.cps / direct.cps).toFixed(2).padStart(5)}  ${load()}`,
      );
      if (b2bua.failed > 0) break;
    }
    if (ONLY.has('register'))
      console.log('\n2. REGISTER/s with digest (401 challenge + authenticated REGISTER)');
    for (const rate of ONLY.has('register') ? RATES : []) {
      const r = await registerRate(h, rate);
      console.log(`rate ${rate}: ${r.rps.toFixed(0)} registrations/s, ${r.failed} failed, load ${load()}`);
      if (r.failed > 0) break;
    }
    if (!ONLY.has('media')) return;
    console.log(`\n3. ${CONCURRENT} concurrent anchored G.711 calls, pcap RTP both ways`);
    const m = await mediaLoad(h, CONCURRENT);
    console.log(JSON.stringify(m, null, 2));
    console.log(
      `loss: ${(((m.lostBeforeRelay + m.notRelayed) / m.expected) * 100).toFixed(3)} % of ${m.expected} packets; ${m.usPerPacket} µs CPU per relayed packet (load ${load()})`,
    );
  } finally {
    await h.close();
  }
}

await main();
