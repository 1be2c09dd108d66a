/**
 * A test's own RTP endpoint for calls whose signalling a sipp scenario does
 * (its SDP names this socket with `-set rtp_port`): it records every packet
 * the engine sends, decodes the G.711 audio, and can send a tone or
 * silence back (which also makes the engine latch to it).
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { goertzelPower } from '../../src/telephony/embedded/media/dtmf.js';
import { alawToLinear, linearToUlaw, ulawToLinear } from '../../src/telephony/embedded/rtp/g711.js';
import { buildTelephoneEvent, digitToEvent } from '../../src/telephony/embedded/rtp/telephone-event.js';
import { parseRtp } from './pcap.js';

export interface ReceivedPacket {
  pt: number;
  seq: number;
  ts: number;
  ssrc: number;
  marker: boolean;
  payload: Buffer;
  atMs: number;
}

export class RtpPeer {
  readonly packets: ReceivedPacket[] = [];
  private sender: NodeJS.Timeout | null = null;
  /** RFC 4733 digits to send in place of audio, each as its packets in order. */
  private readonly events: Array<{ event: number; packets: number }> = [];
  private remote: { address: string; port: number } | null = null;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly port: number,
  ) {
    socket.on('message', (msg, rinfo) => {
      const h = parseRtp(msg);
      if (!h) return;
      this.remote ??= { address: rinfo.address, port: rinfo.port };
      this.packets.push({ ...h, payload: Buffer.from(h.payload), atMs: Date.now() });
    });
  }

  static async open(): Promise<RtpPeer> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RtpPeer(socket, socket.address().port);
  }

  /** Audio packets (PCMU/PCMA) received between two wall-clock times. */
  audioPackets(fromMs = 0, toMs = Infinity): ReceivedPacket[] {
    return this.packets.filter((p) => (p.pt === 0 || p.pt === 8) && p.atMs >= fromMs && p.atMs < toMs);
  }

  /** The decoded audio of the packets received between two times, in arrival order. */
  audio(fromMs = 0, toMs = Infinity): Int16Array {
    const pkts = this.audioPackets(fromMs, toMs);
    const out = new Int16Array(pkts.reduce((n, p) => n + p.payload.length, 0));
    let i = 0;
    for (const p of pkts) {
      const dec = p.pt === 0 ? ulawToLinear : alawToLinear;
      for (const b of p.payload) out[i++] = dec(b);
    }
    return out;
  }

  /**
   * Sends PCMU packets every 20 ms to where the engine's media comes from
   * (or `to`) until stop(): a sine of `freq` Hz, or silence with freq 0.
   */
  send(freq: number, to?: { address: string; port: number }, amplitude = 8000): void {
    this.stopSending();
    // Random first sequence number and timestamp, as RFC 3550 §5.1 asks (a far end may take 0 for "none").
    const first = randomBytes(6);
    let seq = first.readUInt16BE(0);
    const seq0 = seq;
    let ts = first.readUInt32BE(2);
    let n = 0;
    const ssrc = 0x1234abcd;
    let eventTs: number | null = null;
    let eventPacket = 0;
    this.sender = setInterval(() => {
      const dest = to ?? this.remote;
      if (!dest) return;
      const e = this.events[0];
      if (e) {
        // A digit: 100 ms of events on one timestamp, the end sent three times, the next digit on a new timestamp.
        eventTs ??= ts;
        eventPacket += 1;
        const end = eventPacket > e.packets;
        const payload = buildTelephoneEvent({
          event: e.event,
          end,
          volume: 10,
          duration: Math.min(eventPacket, e.packets) * 160,
        });
        const ev = Buffer.alloc(12 + payload.length);
        ev[0] = 0x80;
        ev[1] = (eventPacket === 1 ? 0x80 : 0) | 101;
        ev.writeUInt16BE(seq & 0xffff, 2);
        ev.writeUInt32BE(eventTs >>> 0, 4);
        ev.writeUInt32BE(ssrc, 8);
        payload.copy(ev, 12);
        seq += 1;
        ts += 160;
        this.socket.send(ev, dest.port, dest.address);
        if (eventPacket === e.packets + 3) {
          this.events.shift();
          eventTs = null;
          eventPacket = 0;
        }
        return;
      }
      const pkt = Buffer.alloc(12 + 160);
      pkt[0] = 0x80;
      pkt[1] = seq === seq0 ? 0x80 : 0x00;
      pkt.writeUInt16BE(seq & 0xffff, 2);
      pkt.writeUInt32BE(ts >>> 0, 4);
      pkt.writeUInt32BE(ssrc, 8);
      for (let k = 0; k < 160; k++, n++) {
        const s = freq > 0 ? Math.round(amplitude * Math.sin((2 * Math.PI * freq * n) / 8000)) : 0;
        pkt[12 + k] = linearToUlaw(s);
      }
      seq += 1;
      ts += 160;
      this.socket.send(pkt, dest.port, dest.address);
    }, 20);
  }

  /** Sends digits as RFC 4733 events (payload type 101) in place of the audio, while send() runs. */
  digits(digits: string): void {
    for (const d of digits) {
      const event = digitToEvent(d);
      if (event === null) throw new RangeError(`not a DTMF digit: ${d}`);
      this.events.push({ event, packets: 5 });
    }
  }

  /** Whether digits are still to be sent. */
  get sendingDigits(): boolean {
    return this.events.length > 0;
  }

  stopSending(): void {
    if (this.sender) clearInterval(this.sender);
    this.sender = null;
  }

  close(): void {
    this.stopSending();
    this.socket.close();
  }
}

/** Power of `freq` relative to a block's total power (0..1); 1 for a pure sine of that frequency. */
function blockShare(block: Int16Array, freq: number): number {
  let energy = 0;
  for (const s of block) energy += s * s;
  if (energy === 0) return 0;
  // Goertzel power of a sine of amplitude A over N samples is (A N / 2)^2; its energy is A^2 N / 2.
  return goertzelPower(block, freq) / ((energy * block.length) / 2);
}

/**
 * How much of the audible part of `samples` is a tone of `freq`: the mean
 * share of that frequency over the 50 ms windows louder than -50 dBFS
 * (0 when none is). Windows keep tone bursts with their own phase apart.
 */
export function toneShare(samples: Int16Array, freq: number, windowSamples = 400): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i + windowSamples <= samples.length; i += windowSamples) {
    const w = samples.subarray(i, i + windowSamples);
    if (levelDbfs(w) < -50) continue;
    sum += blockShare(w, freq);
    n += 1;
  }
  return n === 0 ? 0 : sum / n;
}

/** The share of 50 ms windows louder than -50 dBFS. */
export function audibleShare(samples: Int16Array, windowSamples = 400): number {
  let loud = 0;
  let n = 0;
  for (let i = 0; i + windowSamples <= samples.length; i += windowSamples, n++) {
    if (levelDbfs(samples.subarray(i, i + windowSamples)) >= -50) loud += 1;
  }
  return n === 0 ? 0 : loud / n;
}

/** RMS level in dBFS. */
export function levelDbfs(samples: Int16Array): number {
  if (samples.length === 0) return -Infinity;
  let e = 0;
  for (const s of samples) e += s * s;
  return 20 * Math.log10(Math.sqrt(e / samples.length) / 32768);
}
