/**
 * RTP relay benchmark: the CPU cost of anchoring G.711 media in the embedded
 * B2BUA, against a bare dgram forwarder in the same setup.
 *
 *   npm run bench:rtp
 *   npm run bench:rtp -- --calls 300 --seconds 10 --rounds 2
 *   BENCH_CALLS=300 BENCH_SECONDS=10 BENCH_ROUNDS=2 npm run bench:rtp
 *
 * Each call is two RtpSessions from an RtpPortPool, bridged through their
 * media channels as the engine bridges two legs, in a child
 * process (the relay); this process (the traffic generator) plays both phones
 * of every call: two plain dgram sockets sending 172-byte PCMU packets (160
 * octets of payload, 20 ms ptime) in both directions, all streams paced by one
 * timer loop that sends every stream's packet each 20 ms tick. After a warm-up
 * second the child measures its own process.cpuUsage() over BENCH_SECONDS.
 *
 * The baseline, in the same run and the same child setup, is a bare forwarder:
 * two sockets per call, socket.on('message') -> other.send(msg, port, host).
 * Rounds alternate (callplane, bare, bare, callplane, ...) so machine noise
 * hits both. Printed per round: packets sent, relayed, lost (sent - received at
 * the far phones), loss %, CPU µs per relayed packet; then the medians and the
 * ratio callplane / bare. 127.0.0.1 only; the bench ends by itself.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { bridgeChannels, MediaChannel } from '../../src/telephony/embedded/media-channel.js';
import { Player } from '../../src/telephony/embedded/media/player.js';
import { buildRtp, encode, RtpPortPool, type RtpSession } from '../../src/telephony/embedded/rtp/index.js';
import { median } from './lib.js';

const HOST = '127.0.0.1';
const PTIME_MS = 20;

type Mode = 'callplane' | 'bare';
type ToChild =
  | { type: 'setup'; mode: Mode; phones: [number, number][]; rtpMin: number; rtpMax: number }
  | { type: 'start' }
  | { type: 'stop' };
type FromChild =
  | { type: 'ready'; legs: [number, number][] }
  | { type: 'started' }
  | {
      type: 'result';
      cpuUs: number;
      relayed: number;
      dropped: number;
      wallMs: number;
      /** Datagrams the relay received and sent over the whole round, warm-up included. */
      inTotal: number;
      outTotal: number;
    };

function option(name: string, env: string, fallback: number): number {
  const argv = process.argv;
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const raw = i < 0 ? process.env[env] : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`bad --${name} / ${env}: ${raw}`);
  return n;
}

// ---- the relay (child process) ----

async function child(): Promise<void> {
  const send = (m: FromChild): void => void process.send?.(m);
  let closeAll: () => Promise<void> = async () => undefined;
  let relayed: () => number = () => 0;
  let dropped: () => number = () => 0;
  let inTotal: () => number = () => 0;
  let cpu0 = process.cpuUsage();
  let relayed0 = 0;
  let t0 = 0;

  process.on('message', (m: ToChild) => {
    void (async () => {
      if (m.type === 'setup') {
        if (m.mode === 'callplane') {
          const pool = new RtpPortPool({ host: HOST, min: m.rtpMin, max: m.rtpMax });
          const player = new Player();
          const sessions: RtpSession[] = [];
          const legs: [number, number][] = [];
          for (const [phoneA, phoneB] of m.phones) {
            const a = await pool.open();
            const b = await pool.open();
            a.setRemote({ address: HOST, port: phoneA });
            b.setRemote({ address: HOST, port: phoneB });
            bridgeChannels(new MediaChannel(a, () => null, player), new MediaChannel(b, () => null, player));
            sessions.push(a, b);
            legs.push([a.localPort, b.localPort]);
          }
          relayed = () => sessions.reduce((n, s) => n + s.stats.packetsOut, 0);
          dropped = () => sessions.reduce((n, s) => n + s.stats.dropped, 0);
          inTotal = () => sessions.reduce((n, s) => n + s.stats.packetsIn + s.stats.dropped, 0);
          closeAll = async () => void (await Promise.all(sessions.map((s) => s.close())));
          send({ type: 'ready', legs });
        } else {
          const sockets: Socket[] = [];
          const legs: [number, number][] = [];
          let count = 0;
          for (const [phoneA, phoneB] of m.phones) {
            const a = await bound(0);
            const b = await bound(0);
            a.on('message', (msg) => {
              b.send(msg, phoneB, HOST);
              count += 1;
            });
            b.on('message', (msg) => {
              a.send(msg, phoneA, HOST);
              count += 1;
            });
            sockets.push(a, b);
            legs.push([a.address().port, b.address().port]);
          }
          relayed = () => count;
          inTotal = () => count;
          closeAll = async () =>
            void (await Promise.all(sockets.map((s) => new Promise((r) => s.close(() => r(null))))));
          send({ type: 'ready', legs });
        }
      } else if (m.type === 'start') {
        relayed0 = relayed();
        t0 = performance.now();
        cpu0 = process.cpuUsage();
        send({ type: 'started' });
      } else {
        const cpu = process.cpuUsage(cpu0);
        const wallMs = performance.now() - t0;
        send({
          type: 'result',
          cpuUs: cpu.user + cpu.system,
          relayed: relayed() - relayed0,
          dropped: dropped(),
          wallMs,
          inTotal: inTotal(),
          outTotal: relayed(),
        });
        await closeAll();
        process.disconnect();
      }
    })();
  });
}

function bound(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(port, HOST, () => resolve(s));
  });
}

// ---- the traffic generator (this process) ----

interface Round {
  mode: Mode;
  sent: number;
  received: number;
  relayed: number;
  cpuUs: number;
  wallMs: number;
  dropped: number;
  lateTicks: number;
  /** Lost on the way into the relay, and from the relay to the far phone. */
  lostIn: number;
  lostOut: number;
}

function nextMessage<T extends FromChild['type']>(
  cp: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`relay child: no '${type}' within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (m: FromChild): void => {
      if (m.type !== type) return;
      clearTimeout(timer);
      cp.off('message', onMessage);
      resolve(m as Extract<FromChild, { type: T }>);
    };
    cp.on('message', onMessage);
  });
}

async function round(
  mode: Mode,
  calls: number,
  seconds: number,
  rtpMin: number,
  rtpMax: number,
): Promise<Round> {
  const phones: { a: Socket; b: Socket }[] = [];
  let received = 0;
  for (let i = 0; i < calls; i += 1) {
    const a = await bound(0);
    const b = await bound(0);
    a.on('message', () => (received += 1));
    b.on('message', () => (received += 1));
    phones.push({ a, b });
  }
  const cp = fork(fileURLToPath(import.meta.url), ['--child'], {
    // e.g. BENCH_CHILD_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the relay
    execArgv: ['--import', 'tsx', ...(process.env['BENCH_CHILD_ARGS']?.split(' ').filter(Boolean) ?? [])],
  });
  const exited = new Promise<void>((resolve) => cp.once('exit', () => resolve()));
  const kill = setTimeout(() => cp.kill('SIGKILL'), (seconds + 120) * 1000);
  try {
    const ready = nextMessage(cp, 'ready', 60_000);
    cp.send({
      type: 'setup',
      mode,
      phones: phones.map((p) => [p.a.address().port, p.b.address().port]),
      rtpMin,
      rtpMax,
    } satisfies ToChild);
    const { legs } = await ready;

    // One 160-sample PCMU frame of a 1 kHz tone; every stream gets its own SSRC and sequence.
    const frame = encode(
      'PCMU',
      Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * i) / 8))),
    );
    let seq = 0;
    let sent = 0;
    let lateTicks = 0;
    const tick = (): void => {
      const sequence = seq & 0xffff;
      const timestamp = (seq * 160) >>> 0;
      for (let i = 0; i < calls; i += 1) {
        const { a, b } = phones[i]!;
        const [legA, legB] = legs[i]!;
        a.send(buildRtp({ payloadType: 0, sequence, timestamp, ssrc: 2 * i + 1 }, frame), legA, HOST);
        b.send(buildRtp({ payloadType: 0, sequence, timestamp, ssrc: 2 * i + 2 }, frame), legB, HOST);
        sent += 2;
      }
      seq += 1;
    };
    const warmupTicks = 1000 / PTIME_MS;
    const totalTicks = warmupTicks + (seconds * 1000) / PTIME_MS;
    const started = nextMessage(cp, 'started', (seconds + 30) * 1000);
    const tStart = performance.now();
    await new Promise<void>((resolve) => {
      const loop = (): void => {
        tick();
        if (seq === warmupTicks) cp.send({ type: 'start' } satisfies ToChild);
        if (seq >= totalTicks) return resolve();
        const due = tStart + seq * PTIME_MS;
        const wait = due - performance.now();
        if (wait < -PTIME_MS) lateTicks += 1;
        setTimeout(loop, Math.max(0, wait));
      };
      loop();
    });
    await started;
    await new Promise((r) => setTimeout(r, 300)); // the last packets in flight
    const result = nextMessage(cp, 'result', 10_000);
    cp.send({ type: 'stop' } satisfies ToChild);
    const r = await result;
    await exited;
    return {
      mode,
      sent,
      received,
      relayed: r.relayed,
      cpuUs: r.cpuUs,
      wallMs: r.wallMs,
      dropped: r.dropped,
      lateTicks,
      lostIn: sent - r.inTotal,
      lostOut: r.outTotal - received,
    };
  } finally {
    clearTimeout(kill);
    if (cp.exitCode === null) cp.kill();
    await Promise.all(
      phones.flatMap((p) => [p.a, p.b]).map((s) => new Promise((r) => s.close(() => r(null)))),
    );
  }
}

const usPerPacket = (r: Round): number => r.cpuUs / r.relayed;

async function main(): Promise<void> {
  const calls = option('calls', 'BENCH_CALLS', 200);
  const seconds = option('seconds', 'BENCH_SECONDS', 10);
  const rounds = option('rounds', 'BENCH_ROUNDS', 2);
  const rtpMin = option('rtp-min', 'BENCH_RTP_MIN', 20000);
  const rtpMax = option('rtp-max', 'BENCH_RTP_MAX', 29999);
  console.log(
    `rtp relay: ${calls} calls (${2 * calls} streams, ${(2 * calls * 1000) / PTIME_MS} packets/s), ` +
      `${seconds} s measured after 1 s warm-up, ${rounds} round(s) per relay; ` +
      `node ${process.version}, ${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const results: Round[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const order: Mode[] = i % 2 === 0 ? ['callplane', 'bare'] : ['bare', 'callplane'];
    for (const mode of order) {
      const r = await round(mode, calls, seconds, rtpMin, rtpMax);
      results.push(r);
      const lost = r.sent - r.received;
      console.log(
        `  ${mode.padEnd(9)} sent ${r.sent}  relayed ${r.relayed} in ${(r.wallMs / 1000).toFixed(1)} s  ` +
          `lost ${lost} (${((100 * lost) / r.sent).toFixed(3)} %: ${r.lostIn} in, ${r.lostOut} out)  ` +
          `dropped ${r.dropped}  ` +
          `cpu ${(r.cpuUs / 1e6).toFixed(2)} s = ${usPerPacket(r).toFixed(2)} µs/packet  ` +
          `(${((100 * r.cpuUs) / 1000 / r.wallMs).toFixed(0)} % of a core; generator late ticks ${r.lateTicks})`,
      );
    }
  }
  const ours = median(results.filter((r) => r.mode === 'callplane').map(usPerPacket));
  const bare = median(results.filter((r) => r.mode === 'bare').map(usPerPacket));
  const sent = results.reduce((n, r) => n + r.sent, 0);
  const lost = results.reduce((n, r) => n + r.sent - r.received, 0);
  console.log(
    `median CPU per relayed packet: callplane ${ours.toFixed(2)} µs, bare forwarder ${bare.toFixed(2)} µs, ` +
      `ratio ${(ours / bare).toFixed(2)}; loss over all rounds ${lost} of ${sent} (${((100 * lost) / sent).toFixed(3)} %)`,
  );
}

if (process.argv.includes('--child')) await child();
else await main();
