/**
 * npm run bench:fax — the fax stack (spandsp addon + FaxSession + UDPTL)
 * driven in real time, the way a call drives it: every 20 ms (the engine's
 * MediaPacer) each session gets one frame of line audio, or a T.38 tick and
 * the datagrams of the last 20 ms.
 *
 * 1. Wall time per page at 14,400 bit/s: one fax (BENCH_FAX_PAGES pages,
 *    default 1) over G.711 and over T.38 in real time, against the
 *    line-rate minimum: the page's image bits / 14,400 plus the T.30 set-up
 *    and handshakes (CNG/CED, DIS/DCS/TCF/CFR, the post-page PPS/MCF, DCN:
 *    V.21 frames at 300 bit/s), i.e. the line time the same fax needs when
 *    run faster than real time.
 * 2. Simultaneous sessions: BENCH_FAX_PAIRS pairs (default 30, i.e. 60 fax
 *    terminals) at once in real time; all must end ok, and the 20 ms clock's
 *    lateness and the process's CPU show how much more the machine holds.
 * 3. Over the line: the same through the whole engine, SIP and RTP or UDPTL
 *    on 127.0.0.1. `POST /api/fax/(uuid)/send` through the carrier trunk,
 *    which points at the engine itself, to a fax_enable number of the same
 *    engine (the harness of test/e2e/fax-line.test.ts: app and services on
 *    PGlite and Redis, the embedded telephony node and the fax send worker
 *    in this process). First one fax alone per transport: its wall time per
 *    page (FaxSession's duration, from the answer to the end of T.30; and
 *    from the POST to the report's `ok`) against the line-rate minimum of
 *    part 1. Then BENCH_FAX_LINE faxes at once (default 15, i.e. 30 fax
 *    sessions and 30 SIP calls of 2 legs) per transport: how many end ok,
 *    the spread of their durations against the single fax's, the CPU of
 *    the process, the 20 ms clock's skipped frames and the event loop's
 *    delay. BENCH_FAX_LINE=0 skips part 3.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startMediaWorker } from '../../src/media/worker.js';
import { renderFaxTiff } from '../../src/media/processors/fax-render.js';
import { FaxSession, type FaxResult } from '../../src/telephony/embedded/fax/fax-session.js';
import { answerT38, LOCAL_T38, t38Session } from '../../src/telephony/embedded/sip/sdp-t38.js';
import { MediaPacer, mediaPacer } from '../../src/telephony/embedded/media/pacer.js';
import { decode, encode } from '../../src/telephony/embedded/rtp/g711.js';
import { audioLoopback, t38Loopback } from '../helpers/fax-loopback.js';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';
import { createTelephonyHarness, freePort, type TelephonyHarness } from '../helpers/telephony.js';
import { textPdf } from '../media/fax-fixtures.js';

const PAGES = Number(process.env['BENCH_FAX_PAGES'] ?? 1);
const PAIRS = Number(process.env['BENCH_FAX_PAIRS'] ?? 30);
const LINE_FAXES = Number(process.env['BENCH_FAX_LINE'] ?? 15);
const LINE_RATE = 14_400;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fax-bench-'));
let seq = 0;

type Transport = 'audio' | 't38';

interface Pair {
  sender: FaxSession;
  receiver: FaxSession;
  /** One 20 ms step of both directions. */
  step(): void;
  imageBytes: number;
  firstPageAtMs: number | null;
}

function makePair(tiff: string, transport: Transport): Pair {
  seq++;
  const t38 = transport === 't38' ? t38Session(LOCAL_T38, LOCAL_T38, answerT38(LOCAL_T38)) : undefined;
  const sender = new FaxSession({ direction: 'send', ident: '+492216698123', tiff }, t38);
  const receiver = new FaxSession(
    { direction: 'receive', ident: '+492216698711', output: path.join(dir, `rx-${seq}.tif`) },
    t38,
  );
  const pair: Pair = { sender, receiver, step: () => undefined, imageBytes: 0, firstPageAtMs: null };
  if (transport === 'audio') {
    pair.step = () => {
      const a = decode('PCMA', encode('PCMA', sender.audioOut()));
      const b = decode('PCMA', encode('PCMA', receiver.audioOut()));
      receiver.audioIn(a);
      sender.audioIn(b);
    };
  } else {
    const toB: Buffer[] = [];
    const toA: Buffer[] = [];
    sender.on('datagram', (d) => toB.push(d));
    receiver.on('datagram', (d) => toA.push(d));
    pair.step = () => {
      sender.tick();
      receiver.tick();
      for (const d of toB.splice(0)) receiver.datagramIn(d);
      for (const d of toA.splice(0)) sender.datagramIn(d);
    };
  }
  return pair;
}

/** The image bits and the line time of the fax, from a faster-than-real-time run. */
function lineProfile(tiff: string, transport: Transport): { bits: number; lineMs: number } {
  const pair = makePair(tiff, transport);
  let bytes = 0;
  pair.sender.on('page', (p) => (bytes += p.pageBytes));
  const run =
    transport === 'audio'
      ? audioLoopback(pair.sender, pair.receiver, 'PCMA')
      : t38Loopback(pair.sender, pair.receiver);
  pair.sender.close();
  pair.receiver.close();
  if (run.sender?.status !== 'ok') throw new Error(`profile run failed: ${JSON.stringify(run.sender)}`);
  return { bits: bytes * 8, lineMs: run.lineMs };
}

interface RealTimeRun {
  wallMs: number;
  results: FaxResult[];
  lateP50: number;
  lateP99: number;
  lateMax: number;
  cpuPercent: number;
  skipped: number;
}

/** Runs the pairs on the engine's 20 ms clock until every session has ended. */
function realTime(pairs: Pair[]): Promise<RealTimeRun> {
  const pacer = new MediaPacer();
  const lateness: number[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  return new Promise((resolve) => {
    const unsubscribe = pacer.subscribe((frame) => {
      lateness.push(performance.now() - (t0 + frame * 20));
      for (const p of pairs) if (!p.sender.result || !p.receiver.result) p.step();
      if (pairs.every((p) => p.sender.result && p.receiver.result)) {
        unsubscribe();
        const wallMs = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        const sorted = lateness.sort((a, b) => a - b);
        const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? 0;
        resolve({
          wallMs,
          results: pairs.map((p) => p.sender.result!),
          lateP50: q(0.5),
          lateP99: q(0.99),
          lateMax: sorted[sorted.length - 1] ?? 0,
          cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
          skipped: pacer.stats.skipped,
        });
        for (const p of pairs) {
          p.sender.close();
          p.receiver.close();
        }
      }
    });
  });
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

async function main(): Promise<void> {
  fs.writeFileSync(path.join(dir, 'doc.pdf'), await textPdf(PAGES));
  const tiff = path.join(dir, 'doc.tif');
  await renderFaxTiff({ input: path.join(dir, 'doc.pdf'), output: tiff, workDir: dir });
  console.log(
    `fax bench: ${PAGES}-page A4 text TIFF-F (${fs.statSync(tiff).size} bytes, T.6), ` +
      `${os.cpus().length} cores, load ${os.loadavg().map(f2).join(' ')}, node ${process.version}`,
  );

  console.log('\n1. one fax in real time (20 ms frames), 14,400 bit/s, ECM');
  const minimum: Record<Transport, number> = { audio: 0, t38: 0 };
  for (const transport of ['audio', 't38'] as const) {
    const profile = lineProfile(tiff, transport);
    minimum[transport] = profile.lineMs;
    // The line-rate minimum: image bits at 14,400 bit/s plus the T.30 set-up and
    // handshakes, which run at V.21's 300 bit/s whatever the engine does (the
    // rest of the line time the protocol needed, measured on the simulated line).
    const dataMs = (profile.bits / LINE_RATE) * 1000;
    const handshakesMs = profile.lineMs - dataMs;
    const run = await realTime([makePair(tiff, transport)]);
    const r = run.results[0]!;
    if (r.status !== 'ok') throw new Error(`${transport} real-time run failed: ${JSON.stringify(r)}`);
    console.log(
      `  ${transport === 'audio' ? 'G.711 audio' : 'T.38/UDPTL '}: wall ${f1(run.wallMs / 1000)} s for ${r.pagesDone} page(s) ` +
        `= ${f1(run.wallMs / 1000 / r.pagesDone)} s/page; line-rate minimum ${f1(profile.lineMs / 1000)} s = ` +
        `${Math.round(profile.bits / 1000)} kbit / 14,400 (${f1(dataMs / 1000)} s) + T.30 set-up and handshakes ` +
        `(${f1(handshakesMs / 1000)} s) -> ` +
        `ratio ${f2(run.wallMs / profile.lineMs)}`,
    );
  }

  console.log(
    `\n2. ${PAIRS} fax pairs at once (${PAIRS * 2} sessions: ${PAIRS} senders + ${PAIRS} receivers)`,
  );
  for (const transport of ['audio', 't38'] as const) {
    const pairs = Array.from({ length: PAIRS }, () => makePair(tiff, transport));
    const run = await realTime(pairs);
    const ok = run.results.filter((r) => r.status === 'ok').length;
    const perSession = run.cpuPercent / (PAIRS * 2);
    console.log(
      `  ${transport === 'audio' ? 'G.711 audio' : 'T.38/UDPTL '}: ${ok}/${PAIRS} ok in ${f1(run.wallMs / 1000)} s; ` +
        `CPU ${f1(run.cpuPercent)} % of one core (${f2(perSession)} % per session); ` +
        `20 ms clock late p50 ${f1(run.lateP50)} ms, p99 ${f1(run.lateP99)} ms, max ${f1(run.lateMax)} ms, ` +
        `${run.skipped} frames skipped; ~${Math.floor(100 / perSession)} sessions per core at this cost`,
    );
  }
  if (LINE_FAXES > 0) await overTheLine(minimum);
  console.log(`\nload after: ${os.loadavg().map(f2).join(' ')}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

interface LineRun {
  wallMs: number;
  sends: Array<{ status: string; pages: number; durationMs: number; postToEndMs: number }>;
  /** Receptions that ended ok. */
  receivedOk: number;
  cpuPercent: number;
  skipped: number;
  loopP99: number;
  loopMax: number;
}

/** Incoming fax reports that ended, and those of them ok. */
async function receptions(h: TelephonyHarness): Promise<{ ended: number; ok: number }> {
  const rows = await h.services.db
    .selectFrom('fax_reports')
    .select(['status'])
    .where('incoming', '=', true)
    .where('status', '!=', 'transmit')
    .execute();
  return { ended: rows.length, ok: rows.filter((r) => r.status === 'ok').length };
}

/** `count` sends of `fax` at once to `to`, each to the end of its report and of the reception. */
async function lineRun(
  h: TelephonyHarness,
  sid: string,
  fax: string,
  from: string,
  to: string,
  count: number,
): Promise<LineRun> {
  const before = await receptions(h);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const skipped0 = mediaPacer.stats.skipped;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sends = await Promise.all(
    Array.from({ length: count }, async () => {
      const posted = performance.now();
      const res = await h.call('POST', `/api/fax/${fax}/send`, { sid, body: { from, to } });
      if (res['status'] !== 'ok') throw new Error(`send: ${JSON.stringify(res)}`);
      for (;;) {
        const r = await h.services.faxes.report(res['uuid'] as string);
        if (r && !['dial', 'transmit'].includes(r.status)) {
          return {
            status: r.status,
            pages: r.pages ?? 0,
            durationMs: r.durationMs ?? 0,
            postToEndMs: performance.now() - posted,
          };
        }
        // A light poll (the bench's own load is in the CPU figure): the end is known within 250 ms.
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }),
  );
  // The receiving ends finish a moment after the senders (the received pages become the fax's contents).
  let received = await receptions(h);
  while (received.ended < before.ended + count) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    received = await receptions(h);
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  return {
    wallMs,
    sends,
    receivedOk: received.ok - before.ok,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    skipped: mediaPacer.stats.skipped - skipped0,
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
  };
}

async function overTheLine(minimum: Record<Transport, number>): Promise<void> {
  const sip = await freePort();
  const rtp = 20000 + (process.pid % 50) * 400;
  const h = await createTelephonyHarness({
    SESSION_CREATE_LIMIT: '10000',
    LOG_LEVEL: 'warn',
    SIP_PORT: String(sip),
    SIP_TRUNK: `127.0.0.1:${sip}`,
    RTP_PORTS: `${rtp}-${rtp + Math.max(200, LINE_FAXES * 8)}`,
    FAX_RETRIES: '0',
    FAX_SEND_CONCURRENCY: String(Math.max(8, LINE_FAXES)),
  });
  const worker = startMediaWorker(h.services, { concurrency: 1, onError: () => undefined });
  try {
    const { user, numbers } = await userWithNumbers(h, 2);
    const [from, to] = numbers as [string, string];
    await updatePhone(h, user.sid, to, {
      fax_enable: true,
      conference_enable: false,
      recording_enable: false,
    });
    const fax = (await h.call('POST', '/api/fax', { sid: user.sid, body: {} }))['uuid'] as string;
    const up = await h.app.inject({
      method: 'POST',
      url: `/api/fax/${fax}/doc.pdf`,
      headers: { 'content-type': 'application/pdf', authorization: `Bearer ${user.sid}` },
      payload: await textPdf(PAGES),
    });
    if (up.json()['status'] !== 'ok') throw new Error(`upload: ${up.body}`);
    for (;;) {
      const f = (await h.call('GET', `/api/fax/${fax}`, { sid: user.sid }))['fax'];
      if (f.status === 'ok') break;
      if (f.status !== 'convert') throw new Error(`conversion: ${JSON.stringify(f)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(
      `\n3. over the line: POST /api/fax/(uuid)/send through the trunk looped back to the engine ` +
        `(SIP + RTP or UDPTL on 127.0.0.1, spandsp both ends, the send worker and the reception in this process)`,
    );
    for (const transport of ['audio', 't38'] as const) {
      // The receiving side re-INVITEs to T.38 unless told not to.
      h.telephony.engine.ctx.fax!.t38 = transport === 't38';
      const name = transport === 'audio' ? 'G.711 audio' : 'T.38/UDPTL ';
      const one = await lineRun(h, user.sid, fax, from, to, 1);
      const s = one.sends[0]!;
      if (s.status !== 'ok' || one.receivedOk !== 1) {
        throw new Error(`${transport} over the line: ${JSON.stringify(s)}, ${one.receivedOk} received ok`);
      }
      console.log(
        `  ${name}: 1 fax, ${s.pages} page(s): T.30 ${f1(s.durationMs / 1000)} s ` +
          `= ${f1(s.durationMs / 1000 / s.pages)} s/page, POST to ok ${f1(s.postToEndMs / 1000)} s; ` +
          `line-rate minimum ${f1(minimum[transport] / 1000)} s -> ratio ${f2(s.durationMs / minimum[transport])} ` +
          `(${f2(s.postToEndMs / minimum[transport])} from the POST)`,
      );
      const many = await lineRun(h, user.sid, fax, from, to, LINE_FAXES);
      const ok = many.sends.filter((x) => x.status === 'ok');
      const d = ok.map((x) => x.durationMs).sort((a, b) => a - b);
      const q = (f: number) => d[Math.min(d.length - 1, Math.floor(f * d.length))] ?? 0;
      console.log(
        `  ${name}: ${LINE_FAXES} faxes at once (${LINE_FAXES * 2} fax sessions, ${LINE_FAXES * 2} call legs): ` +
          `${ok.length}/${LINE_FAXES} sent ok, ${many.receivedOk}/${LINE_FAXES} received ok (${
            many.sends
              .filter((x) => x.status !== 'ok')
              .map((x) => x.status)
              .join(', ') || 'no failure'
          }) in ${f1(many.wallMs / 1000)} s; ` +
          `T.30 duration p50 ${f1(q(0.5) / 1000)} s, max ${f1((d.at(-1) ?? 0) / 1000)} s ` +
          `(alone ${f1(s.durationMs / 1000)} s); CPU ${f1(many.cpuPercent)} % of one core ` +
          `(${f2(many.cpuPercent / (LINE_FAXES * 2))} % per session); ` +
          `20 ms clock ${many.skipped} frames skipped; event loop delay p99 ${f1(many.loopP99)} ms, max ${f1(many.loopMax)} ms`,
      );
    }
  } finally {
    await worker.close();
    await h.services.media.close();
    await h.close();
  }
}

await main();
