/**
 * Call API control round trip (issue 16): POST /api/call/(uuid)/control with
 * a tone -> the first RTP packet of that tone at the far end, while N calls
 * placed with POST /api/call/dial are up and answered.
 *
 *   npm run bench:call-api
 *   BENCH_CALLS=100 BENCH_ROUNDS=300 npm run bench:call-api
 *
 * The harness is the tests' (test/helpers/telephony.ts): the real app and
 * services on PGlite and Redis, the embedded telephony node in the same
 * process. A sipp UAS on the trunk answers every call and names this
 * process's UDP socket as its RTP address, so every call's audio arrives
 * here. One control at a time goes to a call taken in turn (the request
 * through Fastify's inject: routing, session, the service, the Redis round
 * trip to the node's control channel and its answer); the clock stops at
 * the first packet from then on whose audio is not silence (only that call
 * plays). Each tone lasts 100 ms; the next control follows 50 ms after it.
 * The clock is Date.now() around the request and at the packet's arrival.
 */
import dgram from 'node:dgram';
import os from 'node:os';
import { alawToLinear, ulawToLinear } from '../../src/telephony/embedded/rtp/g711.js';
import { userWithNumbers } from '../helpers/provision.js';
import { SIPP_AVAILABLE, startSipp } from '../helpers/sipp.js';
import { createTelephonyHarness } from '../helpers/telephony.js';

const CALLS = Number(process.env['BENCH_CALLS'] ?? 100);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 300);
const TONE_MS = 100;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  if (!SIPP_AVAILABLE) throw new Error('sipp is needed (apt-get install sip-tester)');
  const h = await createTelephonyHarness({ SESSION_CREATE_LIMIT: '1000', LOG_LEVEL: 'warn' });
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  let waiting: ((atMs: number) => void) | null = null;
  let packets = 0;
  socket.on('message', (msg) => {
    packets += 1;
    if (!waiting || msg.length < 12 + 80) return;
    const pt = msg[1]! & 0x7f;
    if (pt !== 0 && pt !== 8) return;
    const dec = pt === 0 ? ulawToLinear : alawToLinear;
    let peak = 0;
    for (let i = 12; i < msg.length; i++) peak = Math.max(peak, Math.abs(dec(msg[i]!)));
    if (peak > 1000) {
      const w = waiting;
      waiting = null;
      w(Date.now());
    }
  });
  const far = startSipp({
    scenario: 'uas-answer',
    localPort: h.trunkPort,
    calls: CALLS,
    vars: { rtp_port: String(socket.address().port) },
    timeoutSeconds: 600,
    traceMessages: false,
  });
  try {
    await far.ready;
    const { user, numbers } = await userWithNumbers(h);
    const uuids: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const d = await h.call('POST', '/api/call/dial', {
        sid: user.sid,
        body: { to: `+4930${String(7000000 + i)}`, from: numbers[0] },
      });
      if (d['status'] !== 'ok') throw new Error(`dial: ${JSON.stringify(d)}`);
      uuids.push(d['uuid'] as string);
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      const l = await h.call('GET', '/api/call', { sid: user.sid, query: { count: '500' } });
      const answered = Object.values(l['call'] as Record<string, { status: string }>).filter(
        (c) => c.status === 'answered',
      ).length;
      if (answered === CALLS) break;
      if (Date.now() > deadline) throw new Error(`only ${answered} of ${CALLS} calls answered`);
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(
      `${CALLS} calls answered; ${ROUNDS} controls, one at a time (load ${os.loadavg()[0]!.toFixed(1)})`,
    );
    const times: number[] = [];
    let lost = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const uuid = uuids[i % CALLS]!;
      const heard = new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          waiting = null;
          resolve(null);
        }, 2000);
        waiting = (at) => {
          clearTimeout(timer);
          resolve(at);
        };
      });
      const sent = Date.now();
      const r = await h.call('POST', `/api/call/${uuid}/control`, {
        sid: user.sid,
        body: { controls: [{ control: 'tone', frequency: 1000, duration: TONE_MS }] },
      });
      if (r['status'] !== 'ok') throw new Error(`control: ${JSON.stringify(r)}`);
      const at = await heard;
      if (at === null) lost += 1;
      else times.push(at - sent);
      await new Promise((res) => setTimeout(res, TONE_MS + 50));
    }
    times.sort((a, b) => a - b);
    console.log(
      `control -> first tone packet: p50 ${pct(times, 50)} ms, p90 ${pct(times, 90)} ms, ` +
        `p99 ${pct(times, 99)} ms, max ${times.at(-1)} ms; ${lost} of ${ROUNDS} never heard; ` +
        `${packets} RTP packets received; load ${os.loadavg()[0]!.toFixed(1)}`,
    );
    for (const uuid of uuids)
      await h.call('POST', `/api/call/${uuid}/control`, {
        sid: user.sid,
        body: { controls: [{ control: 'hangup' }] },
      });
    await far.done;
  } finally {
    far.kill();
    socket.close();
    await h.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
