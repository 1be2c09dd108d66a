import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgeChannels, MediaChannel } from '../../src/telephony/embedded/media-channel.js';
import { Player } from '../../src/telephony/embedded/media/player.js';
import {
  buildRtp,
  buildTelephoneEvent,
  parseRtp,
  RtpPortPool,
  type RtpSession,
} from '../../src/telephony/embedded/rtp/index.js';

// Real UDP on 127.0.0.1; this file owns ports 41100-41499 (a range per test).
const HOST = '127.0.0.1';
const player = new Player();

/** Bridges two sessions as the engine bridges two legs: through their media channels. */
function bridge(a: RtpSession, b: RtpSession): () => void {
  return bridgeChannels(new MediaChannel(a, () => null, player), new MediaChannel(b, () => null, player));
}

interface Phone {
  socket: Socket;
  port: number;
  got: { msg: Buffer; from: RemoteInfo }[];
  /** Sends an RTP packet to a session. */
  rtp(to: RtpSession, seq: number, opts?: { pt?: number; ssrc?: number; payload?: Buffer }): void;
}

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function phone(): Promise<Phone> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  opened.push(socket);
  const got: Phone['got'] = [];
  socket.on('message', (msg, from) => got.push({ msg, from }));
  return {
    socket,
    port: socket.address().port,
    got,
    rtp(to, seq, opts = {}) {
      const payload = opts.payload ?? Buffer.alloc(160, 0xff);
      const pkt = buildRtp(
        { payloadType: opts.pt ?? 0, sequence: seq, timestamp: seq * 160, ssrc: opts.ssrc ?? 0x1234 },
        payload,
      );
      socket.send(pkt, to.localPort, HOST);
    },
  };
}

async function session(pool: RtpPortPool): Promise<RtpSession> {
  const s = await pool.open();
  opened.push(s);
  return s;
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('anchored media between two phones', () => {
  it('relays each packet byte for byte both ways, from the far leg’s port', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41100, max: 41119 });
    const [alice, bob] = [await phone(), await phone()];
    const [legA, legB] = [await session(pool), await session(pool)];
    legA.setRemote({ address: HOST, port: alice.port });
    legB.setRemote({ address: HOST, port: bob.port });
    bridge(legA, legB);

    const voice = Buffer.from(Array.from({ length: 160 }, (_, i) => i));
    for (let seq = 100; seq < 105; seq += 1) alice.rtp(legA, seq, { payload: voice, ssrc: 0xaaaa });
    // RFC 4733 events pass through untouched, marker and all.
    const dtmf = buildRtp(
      { payloadType: 101, marker: true, sequence: 7, timestamp: 800, ssrc: 0xbbbb },
      buildTelephoneEvent({ event: 11, end: false, volume: 10, duration: 160 }),
    );
    bob.socket.send(dtmf, legB.localPort, HOST);

    await until(() => bob.got.length === 5 && alice.got.length === 1);
    expect(bob.got.map((g) => parseRtp(g.msg)?.sequence)).toEqual([100, 101, 102, 103, 104]);
    expect(bob.got[0]!.msg).toEqual(
      buildRtp({ payloadType: 0, sequence: 100, timestamp: 16000, ssrc: 0xaaaa }, voice),
    );
    expect(bob.got.every((g) => g.from.port === legB.localPort)).toBe(true);
    expect(alice.got[0]!.msg).toEqual(dtmf);
    expect(alice.got[0]!.from.port).toBe(legA.localPort);
    expect(legA.stats).toMatchObject({ packetsIn: 5, packetsOut: 1, bytesIn: 5 * 172, lost: 0, dropped: 0 });
    expect(legB.stats).toMatchObject({ packetsIn: 1, packetsOut: 5 });
  });

  it('stops relaying when unbridged', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41120, max: 41139 });
    const [alice, bob] = [await phone(), await phone()];
    const [legA, legB] = [await session(pool), await session(pool)];
    legB.setRemote({ address: HOST, port: bob.port });
    const unbridge = bridge(legA, legB);
    alice.rtp(legA, 1);
    await until(() => bob.got.length === 1);
    unbridge();
    alice.rtp(legA, 2);
    await until(() => legA.stats.packetsIn === 2);
    await sleep(50);
    expect(bob.got).toHaveLength(1);
  });
});

describe('latching (symmetric RTP behind NAT)', () => {
  it('sends to the SDP address until the first packet, then to where that packet came from', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41140, max: 41159 });
    const [sdpAddr, natted, other, intruder] = [await phone(), await phone(), await phone(), await phone()];
    const [leg, otherLeg] = [await session(pool), await session(pool)];
    leg.setRemote({ address: HOST, port: sdpAddr.port });
    otherLeg.setRemote({ address: HOST, port: other.port });
    bridge(leg, otherLeg);

    other.rtp(otherLeg, 1);
    await until(() => sdpAddr.got.length === 1);
    expect(leg.latched).toBe(false);

    natted.rtp(leg, 50); // the phone's NAT maps it to another port than its SDP says
    await until(() => leg.latched);
    expect(leg.remote).toEqual({ address: HOST, port: natted.port });
    other.rtp(otherLeg, 2);
    await until(() => natted.got.length === 1);

    intruder.rtp(leg, 51);
    natted.rtp(leg, 51);
    await until(() => leg.stats.packetsIn === 2 && leg.stats.dropped === 1);
    expect(other.got.map((g) => parseRtp(g.msg)?.sequence)).toEqual([50, 51]);
    expect(sdpAddr.got).toHaveLength(1);

    // A re-INVITE: the next packet, from wherever, latches again.
    leg.relatch();
    expect(leg.remote).toEqual({ address: HOST, port: sdpAddr.port });
    intruder.rtp(leg, 900, { ssrc: 0x9999 });
    await until(() => leg.stats.packetsIn === 3);
    expect(leg.remote).toEqual({ address: HOST, port: intruder.port });
    other.rtp(otherLeg, 3);
    await until(() => intruder.got.length === 1);
    expect(natted.got).toHaveLength(1);
  });

  it('drops non-RTP datagrams and RTCP without latching to them', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41160, max: 41179 });
    const p = await phone();
    const leg = await session(pool);
    const seen: number[] = [];
    leg.onPacket((_pkt, h) => seen.push(h.sequence));
    p.socket.send(Buffer.from('hello'), leg.localPort, HOST);
    p.socket.send(Buffer.from('80c80006' + '00'.repeat(24), 'hex'), leg.localPort, HOST); // RTCP SR
    p.socket.send(Buffer.from('4000000100000000000000010000', 'hex'), leg.localPort, HOST); // version 1
    await until(() => leg.stats.dropped === 3);
    expect(leg.latched).toBe(false);
    p.rtp(leg, 5);
    await until(() => seen.length === 1);
    expect(leg.latched).toBe(true);
    expect(leg.stats).toMatchObject({ packetsIn: 1, dropped: 3 });
  });
});

describe('stats of the latched stream', () => {
  it('counts a skipped sequence number as lost, across the 16-bit wrap', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41180, max: 41199 });
    const p = await phone();
    const leg = await session(pool);
    const before = Date.now();
    for (const seq of [65530, 65531, 65532, 65534, 65535, 0, 1, 3, 4]) p.rtp(leg, seq);
    await until(() => leg.stats.packetsIn === 9);
    // 65533 and 2 never came.
    expect(leg.stats.lost).toBe(2);
    expect(leg.stats.bytesIn).toBe(9 * 172);
    expect(leg.stats.lastPacketAt).toBeGreaterThanOrEqual(before - 1);
    expect(leg.stats.lastPacketAt).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('takes a big jump followed by sequential packets as a new stream, not as loss', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41200, max: 41219 });
    const p = await phone();
    const leg = await session(pool);
    for (const seq of [10, 11, 13]) p.rtp(leg, seq);
    await until(() => leg.stats.packetsIn === 3);
    expect(leg.stats.lost).toBe(1);
    for (const seq of [40000, 40001, 40002, 40004]) p.rtp(leg, seq); // the sender restarted
    await until(() => leg.stats.packetsIn === 7);
    expect(leg.stats.lost).toBe(2);
    p.rtp(leg, 1, { ssrc: 0x4321 }); // a new SSRC starts over too
    p.rtp(leg, 3, { ssrc: 0x4321 });
    await until(() => leg.stats.packetsIn === 9);
    expect(leg.stats.lost).toBe(3);
  });
});

describe('media timeout watchdog', () => {
  it('fires once, after the far side stops sending', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41220, max: 41239 });
    const p = await phone();
    const leg = await session(pool);
    let fired = 0;
    leg.watch(400, () => (fired += 1));
    for (let seq = 0; seq < 24; seq += 1) {
      p.rtp(leg, seq);
      await sleep(50);
    }
    expect(fired).toBe(0); // 1.2 s of media: never 400 ms without a packet
    const stoppedAt = Date.now();
    await until(() => fired === 1, 3000);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(350);
    await sleep(1100);
    expect(fired).toBe(1);
  });

  it('counts from the watch() call when no packet came at all, and stops on close', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41240, max: 41259 });
    const [silent, closed] = [await session(pool), await session(pool)];
    let silentFired = 0;
    let closedFired = 0;
    silent.watch(200, () => (silentFired += 1));
    closed.watch(200, () => (closedFired += 1));
    await closed.close();
    await until(() => silentFired === 1, 3000);
    expect(closedFired).toBe(0);
  });
});

describe('generated media', () => {
  it('sends under its own SSRC with consecutive sequence numbers', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41260, max: 41279 });
    const p = await phone();
    const leg = await session(pool);
    leg.sendRtp(0, 0, Buffer.alloc(160)); // no remote yet: nothing goes out
    leg.setRemote({ address: HOST, port: p.port });
    leg.sendRtp(0, 160, Buffer.alloc(160, 0xff), true);
    leg.sendRtp(0, 320, Buffer.alloc(160, 0xff));
    leg.sendRtp(101, 2 ** 32 + 5, buildTelephoneEvent({ event: 1, end: true, volume: 10, duration: 800 }));
    await until(() => p.got.length === 3);
    const hs = p.got.map((g) => parseRtp(g.msg)!);
    expect(hs.map((h) => h.ssrc)).toEqual([leg.ssrc, leg.ssrc, leg.ssrc]);
    expect(hs.map((h) => (h.sequence - hs[0]!.sequence + 65536) % 65536)).toEqual([0, 1, 2]);
    expect(hs.map((h) => [h.payloadType, h.timestamp, h.marker])).toEqual([
      [0, 160, true],
      [0, 320, false],
      [101, 5, false],
    ]);
    expect(leg.stats.packetsOut).toBe(3);
  });

  it('survives a listener that throws and reports it', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41280, max: 41299 });
    const p = await phone();
    const leg = await session(pool);
    const errors: unknown[] = [];
    leg.onError((e) => errors.push(e));
    leg.onPacket(() => {
      throw new Error('consumer bug');
    });
    p.rtp(leg, 1);
    p.rtp(leg, 2);
    await until(() => errors.length === 2);
    expect(leg.stats.packetsIn).toBe(2);
  });
});

describe('RTP port pool', () => {
  it('hands out even ports only, and says so when the range is exhausted', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41301, max: 41307 }); // pairs 41302, 41304, 41306
    expect(pool.capacity).toBe(3);
    const sessions = await Promise.all([session(pool), session(pool), session(pool)]);
    expect(sessions.map((s) => s.localPort).sort()).toEqual([41302, 41304, 41306]);
    expect(sessions[0].localAddress).toBe(HOST);
    expect(pool.inUse).toBe(3);
    await expect(pool.open()).rejects.toThrow('no free RTP port');

    await sessions[1].close();
    await sessions[1].close(); // idempotent
    expect(pool.inUse).toBe(2);
    const again = await session(pool);
    expect(again.localPort).toBe(sessions[1].localPort);
  });

  it('does not hand a just-released port out again while others are free', async () => {
    const pool = new RtpPortPool({ host: HOST, min: 41310, max: 41317 });
    const first = await session(pool);
    expect(first.localPort).toBe(41310);
    await first.close();
    const ports: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const s = await pool.open();
      ports.push(s.localPort);
      await s.close();
    }
    expect(ports).toEqual([41312, 41314, 41316, 41310]);
    expect(pool.inUse).toBe(0);
  });

  it('skips ports another process holds', async () => {
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(41322, HOST, resolve));
    opened.push(squatter);
    const pool = new RtpPortPool({ host: HOST, min: 41320, max: 41325 });
    const [a, b] = [await session(pool), await session(pool)];
    expect([a.localPort, b.localPort]).toEqual([41320, 41324]);
    await expect(pool.open()).rejects.toThrow('no free RTP port');
    expect(pool.inUse).toBe(2);
  });

  it('refuses a range without a port pair, and a remote it cannot send to', async () => {
    expect(() => new RtpPortPool({ host: HOST, min: 41331, max: 41332 })).toThrow(RangeError);
    expect(() => new RtpPortPool({ host: HOST, min: 41340, max: 41330 })).toThrow(RangeError);
    const leg = await session(new RtpPortPool({ host: HOST, min: 41340, max: 41341 }));
    expect(() => leg.setRemote({ address: 'phone.example.com', port: 4000 })).toThrow(RangeError);
    expect(() => leg.setRemote({ address: HOST, port: 70000 })).toThrow(RangeError);
    leg.setRemote({ address: '0.0.0.0', port: 4000 }); // hold (RFC 3264 §8.4)
    expect(leg.remote).toBeNull();
    leg.setRemote({ address: HOST, port: 0 }); // stream disabled
    expect(leg.remote).toBeNull();
  });
});
