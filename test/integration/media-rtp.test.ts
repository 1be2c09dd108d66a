import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { DtmfReceiver, sendDtmf, type DtmfDigit } from '../../src/telephony/embedded/media/dtmf.js';
import { Player } from '../../src/telephony/embedded/media/player.js';
import { record } from '../../src/telephony/embedded/media/recorder.js';
import {
  buildRtp,
  decode,
  encode,
  parseRtp,
  RtpPortPool,
  type RtpSession,
} from '../../src/telephony/embedded/rtp/index.js';
import { activeSpan, rms, sines, zeroCrossingHz } from '../unit/media-fixtures.js';

// Real UDP on 127.0.0.1; this file owns RTP ports 43000-43199.
const HOST = '127.0.0.1';
const pool = new RtpPortPool({ host: HOST, min: 43000, max: 43199 });

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function session(): Promise<RtpSession> {
  const s = await pool.open();
  opened.push(s);
  return s;
}

async function phone(): Promise<{ socket: Socket; port: number; got: { msg: Buffer; at: number }[] }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  opened.push(socket);
  const got: { msg: Buffer; at: number }[] = [];
  socket.on('message', (msg) => got.push({ msg, at: performance.now() }));
  return { socket, port: socket.address().port, got };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('media over real RTP', () => {
  it('plays a 1 kHz tone to a phone: right frequency and length, a packet every 20 ms', async () => {
    const leg = await session();
    const alice = await phone();
    leg.setRemote({ address: HOST, port: alice.port });
    const h = new Player().play(leg, [{ kind: 'tone', frequencies: [1000], durationMs: 1000 }], {
      codec: 'PCMU',
    });
    await expect(h.done).resolves.toBe('finished');
    await sleep(50);
    const packets = alice.got.map((g) => ({ h: parseRtp(g.msg)!, msg: g.msg, at: g.at }));
    expect(packets).toHaveLength(50);
    packets.forEach(({ h: p }, i) => {
      const first = packets[0]!.h;
      expect(p.ssrc).toBe(leg.ssrc);
      expect(p.payloadType).toBe(0);
      expect(p.payloadLength).toBe(160);
      expect(p.marker).toBe(i === 0);
      expect(p.sequence).toBe((first.sequence + i) & 0xffff);
      expect(p.timestamp).toBe((first.timestamp + 160 * i) >>> 0);
    });
    const pcm = new Int16Array(50 * 160);
    packets.forEach((p, i) => pcm.set(decode('PCMU', p.msg.subarray(12)), i * 160));
    const hz = zeroCrossingHz(pcm);
    expect(Math.abs(hz - 1000)).toBeLessThan(10);
    const [from, to] = activeSpan(pcm)!;
    expect(Math.abs((to - from + 1) / 8 - 1000)).toBeLessThan(40);
    const spacing = (packets.at(-1)!.at - packets[0]!.at) / (packets.length - 1);
    expect(Math.abs(spacing - 20)).toBeLessThan(1);
  });

  it('records what a phone sends, placing a lost packet as 20 ms of silence', async () => {
    const leg = await session();
    const bob = await phone();
    const rec = record(leg, { codec: 'PCMA', maxSeconds: 1 });
    const tone = sines([440], 1000, 8000);
    for (let i = 0; i < 50; i += 1) {
      if (i === 20) continue; // lost on the way
      const pkt = buildRtp(
        { payloadType: 8, sequence: 1000 + i, timestamp: 90_000 + i * 160, ssrc: 0xb0b },
        encode('PCMA', tone.subarray(i * 160, i * 160 + 160)),
      );
      bob.socket.send(pkt, leg.localPort, HOST);
      await sleep(i % 5 === 0 ? 20 : 0); // roughly paced, bursts of 5
    }
    const r = await rec.done;
    expect(r.reason).toBe('max');
    expect(r.durationMs).toBe(1000);
    expect(r.silenceOnly).toBe(false);
    expect(rms(r.samples, 20 * 160, 21 * 160)).toBe(0);
    expect(zeroCrossingHz(r.samples.subarray(0, 20 * 160))).toBeCloseTo(440, -1);
    expect(rms(r.samples, 21 * 160)).toBeGreaterThan(5000);
    expect(leg.packetListener).toBeNull();
    expect(leg.stats.lost).toBe(1);
  });

  it('sends DTMF 5 for 120 ms as RFC 4733 events that the receiver reports once, 120 ms long', async () => {
    const a = await session();
    const b = await session();
    a.setRemote({ address: HOST, port: b.localPort });
    b.setRemote({ address: HOST, port: a.localPort });
    const rx = new DtmfReceiver();
    const digits: DtmfDigit[] = [];
    let packets = 0;
    b.onPacket((msg, h) => {
      packets += 1;
      digits.push(...rx.push(msg, h));
    });
    await sendDtmf(a, '5', { durationMs: 120 });
    await sleep(50);
    expect(packets).toBe(8); // 6 updates, the last one the end, and 2 more end packets
    expect(digits).toHaveLength(1);
    expect(digits[0]).toMatchObject({ digit: '5', durationMs: 120, source: 'rfc4733' });
  });
});
