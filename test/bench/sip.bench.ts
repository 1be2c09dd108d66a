/**
 * The embedded engine under sipp load, each figure next to a baseline from
 * the same run, on both databases in one run:
 *  1. the highest clean call rate (0 failed calls, 0 retransmissions) of the
 *     whole path: carrier -> number -> dialplan v2 -> trunk gate (partner call
 *     filter, usergroup call limit, credit, zone billing) -> trunk, CDRs
 *     written and their `cdr` events delivered to a partner session; rates
 *     walk upward until the first unclean one; sipp UAC -> sipp UAS directly
 *     at the same rates is the baseline;
 *  2. REGISTER/s with digest authentication, walked the same way;
 *  3. concurrent anchored G.711 calls with RTP both ways (sipp pcap playback):
 *     packets relayed, packets lost, CPU µs per relayed packet;
 *  4. (with DRACHTIO_URL and FREESWITCH_ESL set, or SIP_BENCH_ONLY=adapters)
 *     the embedded engine against drachtio + FreeSWITCH in the same run: the
 *     highest clean call rate of the whole path, and concurrent anchored calls
 *     with pcap RTP both ways, with the CPU of every process involved
 *     (callplane, drachtio-server, FreeSWITCH).
 *
 *   npm run bench:sip
 *   BENCH_DATABASES=pglite-bridge SIP_BENCH_START=400 SIP_BENCH_STEP=200 npm run bench:sip
 *   BENCH_DATABASES=pglite npm run bench:sip   # PGlite inside the engine's process, as the tests run it
 *   SIP_BENCH_ONLY=calls SIP_BENCH_SECONDS=5 npm run bench:sip
 *   SIP_BENCH_COUNT=1 SIP_BENCH_ONLY=calls npm run bench:sip   # Redis commands and SQL per call
 *   DRACHTIO_URL=127.0.0.1:9022 DRACHTIO_SIP=127.0.0.1:5070 FREESWITCH_ESL=127.0.0.1:8021 \
 *     SIP_BENCH_ONLY=adapters BENCH_DATABASES=pglite npm run bench:sip
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Session as Inspector } from 'node:inspector/promises';
import os from 'node:os';
import type { RtpSession } from '../../src/telephony/embedded/rtp/session.js';
import { readPcapRtp } from '../helpers/pcap.js';
import { dialplanV2, sipAccount, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { freePorts, runSipp, SIPP_AVAILABLE, startSipp } from '../helpers/sipp.js';
import type { HarnessDatabase } from '../helpers/harness.js';
import { createTelephonyHarness, type TelephonyHarness } from '../helpers/telephony.js';
import { installCounters, perCall, since, snapshot, total } from './call-counters.js';
import { carrierCps, cdrCollector, fullPath } from './call-path.js';
import { sippDirectCps } from './sip-baseline.js';

const SECONDS = Number(process.env['SIP_BENCH_SECONDS'] ?? 5);
const START = Number(process.env['SIP_BENCH_START'] ?? 400);
const STEP = Number(process.env['SIP_BENCH_STEP'] ?? 100);
const MAX = Number(process.env['SIP_BENCH_MAX'] ?? 2000);
const REG_START = Number(process.env['SIP_BENCH_REG_START'] ?? 1000);
const REG_STEP = Number(process.env['SIP_BENCH_REG_STEP'] ?? 500);
const CONCURRENT = Number(process.env['SIP_BENCH_CONCURRENT'] ?? 200);
/**
 * pglite-bridge: PGlite as `callplane start` runs it, owned by another
 * process (the API process there) and used over the bridge socket, so its
 * CPU is not the engine's (it is printed next to it); pglite: in the
 * engine's own process, as the tests run it.
 */
const DATABASES = (process.env['BENCH_DATABASES'] ?? 'pglite-bridge,postgres').split(
  ',',
) as HarnessDatabase[];
const PCAP = '/usr/share/sip-tester/g711a.pcap';
/** Which parts to run: calls, register, media (comma list; default all). */
const FS_CONFIGURED =
  process.env['DRACHTIO_URL'] !== undefined && process.env['FREESWITCH_ESL'] !== undefined;
const ONLY = new Set(
  (process.env['SIP_BENCH_ONLY'] ?? `calls,register,media${FS_CONFIGURED ? ',adapters' : ''}`).split(','),
);
/** Where each adapter's rate walk starts and how it steps (FreeSWITCH makes two channels per call). */
const ADAPTER_WALK = {
  embedded: {
    start: Number(process.env['SIP_BENCH_ADAPTER_START'] ?? 100),
    step: Number(process.env['SIP_BENCH_ADAPTER_STEP'] ?? 100),
  },
  freeswitch: {
    start: Number(process.env['SIP_BENCH_FS_START'] ?? 10),
    step: Number(process.env['SIP_BENCH_FS_STEP'] ?? 10),
  },
};
const ADAPTER_CONCURRENT = Number(process.env['SIP_BENCH_ADAPTER_CONCURRENT'] ?? 100);
/** Prints the Redis commands and SQL statements per call of each rate. */
const COUNT = process.env['SIP_BENCH_COUNT'] === '1';
/** Writes a CPU profile of each engine run (calls, REGISTERs) to `<prefix>-<database>-<rate>.cpuprofile`. */
const CPU_PROFILE = process.env['SIP_BENCH_CPU_PROFILE'];
let database: HarnessDatabase = 'pglite-bridge';

/** Runs `fn` under the V8 profiler when SIP_BENCH_CPU_PROFILE is set. */
async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!CPU_PROFILE) return fn();
  const inspector = new Inspector();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await inspector.post('Profiler.stop');
    fs.writeFileSync(`${CPU_PROFILE}-${database}-${name}.cpuprofile`, JSON.stringify(profile));
    inspector.disconnect();
  }
}

const load = (): string => os.loadavg()[0]!.toFixed(1);

const b2buaCps = (h: TelephonyHarness, number: string, rate: number) =>
  carrierCps(h, { target: h.sipPort, number, rate, seconds: SECONDS });

async function cdrCount(h: TelephonyHarness): Promise<number> {
  const r = await h.services.db
    .selectFrom('cdrs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function waitFor(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

async function callsPart(h: TelephonyHarness): Promise<string> {
  const { number, partnerSid } = await fullPath(h);
  const events = cdrCollector(h, partnerSid);
  console.log(
    'rate   direct cps  failed | engine cps  failed  retrans  cdrs written  cdr events  µs CPU/call  redis w/call  sql/call | ratio  load' +
      (h.databasePid ? '  | db owner µs CPU/call' : ''),
  );
  let best: { rate: number; cps: number; ratio: number } | null = null;
  try {
    for (let rate = START; rate <= MAX; rate += STEP) {
      const direct = await sippDirectCps({ calls: Math.round(rate * SECONDS), rate });
      const cdrs0 = await cdrCount(h);
      const ev0 = events.received();
      const counted = snapshot();
      const owner0 = h.databasePid ? cpuSecondsOf(h.databasePid) : 0;
      const r = await profiled(String(rate), () => b2buaCps(h, number, rate));
      // Two CDRs per call (the caller's leg and the trunk leg), written off the call path.
      const expected = 2 * r.successful;
      await waitFor(async () => (await cdrCount(h)) - cdrs0 >= expected, 10_000);
      await waitFor(() => events.received() - ev0 >= expected, 10_000);
      // The engine process's CPU per successful call (user + system), µs, up to the last CDR event delivered.
      const cpu = process.cpuUsage(r.cpu0);
      const cpuUsPerCall = (cpu.user + cpu.system) / Math.max(1, r.successful);
      const ownerUsPerCall = h.databasePid
        ? ((cpuSecondsOf(h.databasePid) - owner0) * 1e6) / Math.max(1, r.successful)
        : null;
      const written = (await cdrCount(h)) - cdrs0;
      const delivered = events.received() - ev0;
      // Everything the run sent, the deferred CDR writes and event deliveries included.
      const sent = since(counted);
      sent.sql.delete('select count(*) as "n" from "cdrs"'); // the bench's own polling (cdrCount)
      const ratio = r.cps / direct.cps;
      console.log(
        `${String(rate).padStart(4)}   ${direct.cps.toFixed(0).padStart(10)}  ${String(direct.failed).padStart(6)} | ` +
          `${r.cps.toFixed(0).padStart(10)}  ${String(r.failed).padStart(6)}  ${String(r.retransmissions).padStart(7)}  ` +
          `${`${written}/${expected}`.padStart(12)}  ${`${delivered}/${expected}`.padStart(10)}  ` +
          `${cpuUsPerCall.toFixed(0).padStart(11)}  ` +
          `${(sent.redisWrites / Math.max(1, r.successful)).toFixed(1).padStart(12)}  ` +
          `${(total(sent.sql) / Math.max(1, r.successful)).toFixed(2).padStart(8)} | ` +
          `${ratio.toFixed(2).padStart(5)}  ${load()}` +
          (ownerUsPerCall === null ? '' : `  | ${ownerUsPerCall.toFixed(0).padStart(6)}`),
      );
      if (COUNT) console.log(perCall(sent, r.successful).join('\n'));
      const clean =
        r.failed === 0 && r.retransmissions === 0 && written === expected && delivered === expected;
      if (!clean) break;
      best = { rate, cps: r.cps, ratio };
    }
  } finally {
    await events.stop();
  }
  return best
    ? `highest clean rate ${best.rate}/s (${best.cps.toFixed(0)} calls/s measured, ${best.ratio.toFixed(2)}x sipp direct)`
    : `no clean rate from ${START}/s`;
}

async function registerRate(h: TelephonyHarness, rate: number) {
  const u = await h.user();
  const acc = await sipAccount(h, u.sid);
  const calls = Math.round(rate * SECONDS);
  const [port] = await freePorts(1);
  const cpu = process.cpuUsage();
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
  const used = process.cpuUsage(cpu);
  return {
    rps: r.successful / seconds,
    cpuPerRegister: (used.user + used.system) / Math.max(1, r.successful),
    failed: r.failed + Math.max(0, calls - r.successful - r.failed),
    retransmissions: Number(r.stats['Retransmissions(C)'] ?? 0),
  };
}

async function registerPart(h: TelephonyHarness): Promise<string> {
  let best = 0;
  for (let rate = REG_START; rate <= 20_000; rate += REG_STEP) {
    const r = await profiled(`register-${rate}`, () => registerRate(h, rate));
    console.log(
      `rate ${rate}: ${r.rps.toFixed(0)} registrations/s, ${r.failed} failed, ${r.retransmissions} retransmissions, ${r.cpuPerRegister.toFixed(0)} µs CPU/registration, load ${load()}`,
    );
    if (r.failed > 0 || r.retransmissions > 0 || r.rps < rate * 0.95) break;
    best = r.rps;
  }
  return best > 0 ? `REGISTER ${best.toFixed(0)}/s clean` : `REGISTER: no clean rate from ${REG_START}/s`;
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
  // No call limit on the far end: BYEs the engine still retransmits for calls of an
  // earlier part (whose far end has gone) reach this sipp too, and each such stray
  // message counts as one of its calls; with `-m calls` they used up the budget.
  const uas = startSipp({
    scenario: 'uas-answer',
    localPort: h.trunkPort,
    calls: 1e9,
    pcap: PCAP,
    traceMessages: false,
    timeoutSeconds,
  });
  await uas.ready;
  const stats = new Map<RtpSession, { packetsIn: number; packetsOut: number; lost: number }>();
  const poll = setInterval(() => {
    for (const s of sessions) stats.set(s, s.stats);
  }, 250);
  const cpu0 = process.cpuUsage();
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
  clearInterval(poll);
  // The caller's BYE reaches the far end through the engine a moment later.
  await new Promise((r) => setTimeout(r, 1000));
  uas.kill();
  const callee = await uas.done;
  pool.open = open;
  for (const s of sessions) stats.set(s, s.stats);
  let packetsIn = 0;
  let packetsOut = 0;
  for (const st of stats.values()) {
    packetsIn += st.packetsIn;
    packetsOut += st.packetsOut;
  }
  const expected = calls * 2 * pcap.count;
  return {
    calls: uac.successful,
    calleeCalls: callee.successful,
    failed: uac.failed,
    expected,
    relayed: packetsOut,
    lost: Math.max(0, expected - packetsIn) + (packetsIn - packetsOut),
    usPerPacket: ((cpu.user + cpu.system) / Math.max(1, packetsOut)).toFixed(2),
  };
}

/** CPU seconds (user + system) a process used so far, from /proc; 0 when it is not there. */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The pids of the servers of the FreeSWITCH path (their CPU counts with the engine's). */
function serverPids(): number[] {
  const out: number[] = [];
  for (const name of ['freeswitch', 'drachtio'])
    try {
      out.push(
        ...execFileSync('pgrep', ['-x', name], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number),
      );
    } catch {
      // not running
    }
  return out;
}

/** CPU seconds of this process and the servers since `start()`. */
function cpuMeter(): () => number {
  const pids = serverPids();
  const c0 = process.cpuUsage();
  const s0 = pids.map(cpuSecondsOf);
  return () => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6 + pids.reduce((sum, pid, i) => sum + cpuSecondsOf(pid) - s0[i]!, 0);
  };
}

/** `calls` concurrent calls through the number set up at `rate`/s, pcap RTP both ways, held for the pcap. */
async function concurrentCalls(h: TelephonyHarness, number: string, calls: number, rate: number) {
  const pcap = readPcapRtp(PCAP);
  const timeoutSeconds = 90;
  const uas = startSipp({
    scenario: 'uas-answer',
    localPort: h.trunkPort,
    calls: 1e9,
    pcap: PCAP,
    traceMessages: false,
    timeoutSeconds,
  });
  await uas.ready;
  const cpu = cpuMeter();
  const uac = await runSipp({
    scenario: 'uac-call',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: h.carrierPort,
    service: number.slice(1),
    calls,
    rate,
    concurrent: calls,
    pcap: PCAP,
    vars: { hold_ms: String(Math.ceil(pcap.durationMs) + 1500) },
    traceMessages: false,
    timeoutSeconds,
  });
  const cpuSeconds = cpu();
  await new Promise((r) => setTimeout(r, 1000));
  uas.kill();
  const callee = await uas.done;
  return { calls: uac.successful, calleeCalls: callee.successful, failed: uac.failed, cpuSeconds };
}

/** 4. The same path on both adapters, one after the other in this run. */
async function adaptersPart(database: HarnessDatabase): Promise<string[]> {
  const lines: string[] = [];
  const results = new Map<string, { rate: number; cps: number; cpuPerCall: number; concurrent: string }>();
  const only = (process.env['SIP_BENCH_ADAPTERS'] ?? 'embedded,freeswitch').split(',');
  for (const telephony of (['embedded', 'freeswitch'] as const).filter((t) => only.includes(t))) {
    const h = await createTelephonyHarness(
      {
        LOG_LEVEL: 'silent',
        SESSION_CREATE_LIMIT: '100000',
        RTP_PORTS: process.env['BENCH_RTP_PORTS'] ?? '20000-29999',
      },
      { database, telephony },
    );
    try {
      const { number } = await fullPath(h);
      console.log(`\n  ${telephony}: rate   cps  failed  retrans  CPU ms/call (all processes)  load`);
      let best = { rate: 0, cps: 0, cpuPerCall: 0 };
      const walk = ADAPTER_WALK[telephony];
      for (let rate = walk.start; rate <= MAX; rate += walk.step) {
        const cpu = cpuMeter();
        const r = await b2buaCps(h, number, rate);
        const cpuPerCall = (cpu() * 1000) / Math.max(1, r.successful);
        console.log(
          `  ${' '.repeat(telephony.length)}  ${String(rate).padStart(4)}  ${r.cps.toFixed(0).padStart(4)}  ${String(r.failed).padStart(6)}  ${String(r.retransmissions).padStart(7)}  ${cpuPerCall.toFixed(2).padStart(27)}  ${load()}`,
        );
        if (r.failed > 0 || r.retransmissions > 0) break;
        best = { rate, cps: r.cps, cpuPerCall };
      }
      // The unclean rate's calls drain first (an overloaded FreeSWITCH takes a while).
      await waitFor(() => h.telephony.registry.size === 0, 60_000);
      await new Promise((r) => setTimeout(r, 3000));
      // Set up at half the adapter's clean rate (5/s to 50/s), so the figure is concurrency, not
      // overload: the clean rate is measured without media, and the RTP of the calls already up
      // takes CPU from the set-up of the next ones (on FreeSWITCH at its full clean rate fsmrf's
      // endpoints then time out and calls fail with 503 and 500, however many the path could hold).
      const setup = Math.min(50, Math.max(5, Math.floor(best.rate / 2)));
      const c = await concurrentCalls(h, number, ADAPTER_CONCURRENT, setup);
      const concurrent = `${c.calls}/${ADAPTER_CONCURRENT} concurrent calls with RTP ok (set up at ${setup}/s; callee ${c.calleeCalls}, failed ${c.failed}), ${((c.cpuSeconds * 1000) / Math.max(1, c.calls)).toFixed(0)} ms CPU per call`;
      console.log(`  ${telephony}: ${concurrent}`);
      results.set(telephony, { ...best, concurrent });
    } finally {
      await h.close();
    }
  }
  const none = { rate: 0, cps: 0, cpuPerCall: 0, concurrent: 'not run' };
  const e = results.get('embedded') ?? none;
  const f = results.get('freeswitch') ?? none;
  const clean = (r: typeof e, start: number) =>
    r.rate === 0
      ? `no clean rate from ${start}/s`
      : `highest clean rate ${r.rate}/s (${r.cps.toFixed(0)} calls/s, ${r.cpuPerCall.toFixed(2)} ms CPU/call)`;
  lines.push(
    `${database}: embedded ${clean(e, ADAPTER_WALK.embedded.start)}; ` +
      `drachtio + FreeSWITCH ${clean(f, ADAPTER_WALK.freeswitch.start)}, CPU of both servers included; ` +
      `ratio ${(f.cps / Math.max(1, e.cps)).toFixed(2)}`,
    `${database}: concurrent, embedded: ${e.concurrent}`,
    `${database}: concurrent, drachtio + FreeSWITCH: ${f.concurrent}`,
  );
  return lines;
}

async function main(): Promise<void> {
  if (!SIPP_AVAILABLE) {
    console.log('sipp is not installed (scripts/setup.sh --test installs sip-tester)');
    return;
  }
  installCounters();
  const summary: string[] = [];
  for (database of DATABASES) {
    console.log(`\n=== database: ${database}, ${SECONDS} s per rate, load ${load()}`);
    if (ONLY.has('adapters')) {
      console.log('\n4. embedded engine against drachtio + FreeSWITCH (same path, same run)');
      summary.push(...(await adaptersPart(database)));
      if (ONLY.size === 1) continue;
    }
    const h = await createTelephonyHarness(
      {
        LOG_LEVEL: 'silent',
        SESSION_CREATE_LIMIT: '100000',
        RTP_PORTS: process.env['BENCH_RTP_PORTS'] ?? '20000-29999',
      },
      { database },
    );
    try {
      if (ONLY.has('calls')) {
        console.log('\n1. the whole call path (INVITE/200/ACK/BYE, no media), rates walked upward');
        summary.push(`${database}: ${await callsPart(h)}`);
      }
      if (ONLY.has('register')) {
        console.log('\n2. REGISTER/s with digest (401 challenge + authenticated REGISTER)');
        summary.push(`${database}: ${await registerPart(h)}`);
      }
      if (ONLY.has('media') && database === DATABASES[0]) {
        console.log(`\n3. ${CONCURRENT} concurrent anchored G.711 calls, pcap RTP both ways`);
        const m = await mediaLoad(h, CONCURRENT);
        console.log(JSON.stringify(m));
        summary.push(
          `${database}: ${CONCURRENT} concurrent RTP calls: ${m.lost} of ${m.expected} packets lost, ${m.usPerPacket} µs CPU per relayed packet`,
        );
      }
    } finally {
      await h.close();
    }
  }
  console.log(`\n${summary.join('\n')}\nload ${load()}`);
}

await main();
