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
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderFaxTiff } from '../../src/media/processors/fax-render.js';
import { FaxSession, type FaxResult } from '../../src/telephony/embedded/fax/fax-session.js';
import { answerT38, LOCAL_T38, t38Session } from '../../src/telephony/embedded/sip/sdp-t38.js';
import { MediaPacer } from '../../src/telephony/embedded/media/pacer.js';
import { decode, encode } from '../../src/telephony/embedded/rtp/g711.js';
import { audioLoopback, t38Loopback } from '../helpers/fax-loopback.js';
import { textPdf } from '../media/fax-fixtures.js';

const PAGES = Number(process.env['BENCH_FAX_PAGES'] ?? 1);
const PAIRS = Number(process.env['BENCH_FAX_PAIRS'] ?? 30);
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
  for (const transport of ['audio', 't38'] as const) {
    const profile = lineProfile(tiff, transport);
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
  console.log(`\nload after: ${os.loadavg().map(f2).join(' ')}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
