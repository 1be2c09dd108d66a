/**
 * A tiny reader and writer of classic libpcap files holding RTP, for media
 * tests with sipp's play_pcap_audio: count what a pcap holds, and make one with
 * a known signal (a G.711 tone).
 *
 * @see https://www.tcpdump.org/manpages/pcap-savefile.5.html (file format)
 * @see https://www.tcpdump.org/linktypes.html (link types)
 * @see RFC 3550 §5.1 (RTP fixed header)
 */
import fs from 'node:fs';

const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_IPV6 = 229;
const LINKTYPE_LINUX_SLL2 = 276;

export interface PcapRtpSummary {
  /** UDP datagrams that parse as RTP version 2 (RTCP left out). */
  count: number;
  /** Between the first and the last of them. */
  durationMs: number;
  /** Distinct payload types, ascending. */
  payloadTypes: number[];
}

export interface RtpHeader {
  marker: boolean;
  pt: number;
  seq: number;
  ts: number;
  ssrc: number;
  payload: Buffer;
}

/**
 * The RTP fixed header of a UDP payload, or null when it is not RTP v2 (or is
 * RTCP, whose packet types 200-204 read as marker + PT 72-76).
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *    |                           timestamp                           |
 *    |           synchronization source (SSRC) identifier            |
 */
export function parseRtp(data: Buffer): RtpHeader | null {
  if (data.length < 12 || data[0]! >> 6 !== 2) return null;
  const pt = data[1]! & 0x7f;
  if (pt >= 72 && pt <= 76) return null;
  const cc = data[0]! & 0x0f;
  let offset = 12 + 4 * cc;
  if (data[0]! & 0x10) {
    if (data.length < offset + 4) return null;
    offset += 4 + 4 * data.readUInt16BE(offset + 2);
  }
  let end = data.length;
  if (data[0]! & 0x20) end -= data[end - 1] ?? 0;
  if (offset > end) return null;
  return {
    marker: (data[1]! & 0x80) !== 0,
    pt,
    seq: data.readUInt16BE(2),
    ts: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(offset, end),
  };
}

interface PcapRecord {
  timeUs: number;
  data: Buffer;
}

function* pcapRecords(buf: Buffer): Generator<PcapRecord, void, undefined> {
  if (buf.length < 24) throw new Error('pcap: file shorter than its global header');
  const magic = buf.readUInt32LE(0);
  let le: boolean;
  let nanos: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) {
    le = true;
    nanos = magic === 0xa1b23c4d;
  } else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) {
    le = false;
    nanos = magic === 0x4d3cb2a1;
  } else if (magic === 0x0a0d0d0a) {
    throw new Error('pcap: pcapng is not supported, only the classic format');
  } else {
    throw new Error(`pcap: bad magic 0x${magic.toString(16)}`);
  }
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  let offset = 24;
  while (offset + 16 <= buf.length) {
    const sec = u32(offset);
    const frac = u32(offset + 4);
    const incl = u32(offset + 8);
    const start = offset + 16;
    if (start + incl > buf.length) break; // truncated capture
    yield { timeUs: sec * 1e6 + (nanos ? frac / 1000 : frac), data: buf.subarray(start, start + incl) };
    offset = start + incl;
  }
}

function pcapLinkType(buf: Buffer): number {
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  return le ? buf.readUInt32LE(20) : buf.readUInt32BE(20);
}

/** The IP packet inside a link-layer frame, with its version, or null. */
function ipPacket(frame: Buffer, linkType: number): Buffer | null {
  let offset: number;
  let proto: number;
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      if (frame.length < 14) return null;
      offset = 12;
      proto = frame.readUInt16BE(offset);
      // 802.1Q / 802.1ad VLAN tags
      while ((proto === 0x8100 || proto === 0x88a8) && frame.length >= offset + 6) {
        offset += 4;
        proto = frame.readUInt16BE(offset);
      }
      offset += 2;
      break;
    }
    case LINKTYPE_LINUX_SLL:
      if (frame.length < 16) return null;
      proto = frame.readUInt16BE(14);
      offset = 16;
      break;
    case LINKTYPE_LINUX_SLL2:
      if (frame.length < 20) return null;
      proto = frame.readUInt16BE(0);
      offset = 20;
      break;
    case LINKTYPE_NULL: {
      if (frame.length < 4) return null;
      const family = frame.readUInt32LE(0) > 0xffff ? frame.readUInt32BE(0) : frame.readUInt32LE(0);
      proto = family === 2 ? 0x0800 : 0x86dd; // AF_INET; AF_INET6 differs by OS
      offset = 4;
      break;
    }
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return frame;
    default:
      throw new Error(`pcap: unsupported link type ${linkType}`);
  }
  if (proto !== 0x0800 && proto !== 0x86dd) return null;
  return frame.subarray(offset);
}

/** The UDP payload of an IPv4 or IPv6 packet, or null. */
function udpPayload(ip: Buffer): Buffer | null {
  if (ip.length < 1) return null;
  const version = ip[0]! >> 4;
  let udp: Buffer;
  if (version === 4) {
    const ihl = (ip[0]! & 0x0f) * 4;
    if (ip.length < ihl + 8 || ip[9] !== 17) return null;
    if (ip.readUInt16BE(6) & 0x1fff) return null; // a later fragment
    udp = ip.subarray(ihl, Math.min(ip.length, ip.readUInt16BE(2)));
  } else if (version === 6) {
    if (ip.length < 48 || ip[6] !== 17) return null;
    udp = ip.subarray(40);
  } else {
    return null;
  }
  if (udp.length < 8) return null;
  return udp.subarray(8, Math.min(udp.length, udp.readUInt16BE(4)));
}

/** Every RTP packet of a pcap, with its capture time. */
export function readPcapRtpPackets(file: string): Array<RtpHeader & { timeMs: number }> {
  const buf = fs.readFileSync(file);
  const linkType = pcapLinkType(buf);
  const packets: Array<RtpHeader & { timeMs: number }> = [];
  for (const rec of pcapRecords(buf)) {
    const ip = ipPacket(rec.data, linkType);
    const payload = ip && udpPayload(ip);
    const rtp = payload && parseRtp(payload);
    if (rtp) packets.push({ ...rtp, timeMs: rec.timeUs / 1000 });
  }
  return packets;
}

export function readPcapRtp(file: string): PcapRtpSummary {
  const packets = readPcapRtpPackets(file);
  const first = packets[0];
  const last = packets[packets.length - 1];
  return {
    count: packets.length,
    durationMs: first && last ? last.timeMs - first.timeMs : 0,
    payloadTypes: [...new Set(packets.map((p) => p.pt))].sort((a, b) => a - b),
  };
}

// ---------------------------------------------------------------- writer

export interface RtpPacketSpec {
  /** Capture time relative to the start of the file. */
  timeMs: number;
  payload: Buffer;
  pt: number;
  seq: number;
  ts: number;
  ssrc: number;
  marker?: boolean;
}

export interface WriteRtpPcapOptions {
  srcIp?: string;
  dstIp?: string;
  srcPort?: number;
  dstPort?: number;
  /** Capture time of timeMs 0, epoch milliseconds (default now). */
  startEpochMs?: number;
}

function ipv4Bytes(ip: string): Buffer {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) {
    throw new Error(`pcap: not an IPv4 address: ${ip}`);
  }
  return Buffer.from(parts);
}

/** RFC 1071 ones' complement sum over 16-bit words. */
function onesComplementSum(bufs: Buffer[]): number {
  let sum = 0;
  for (const b of bufs) {
    for (let i = 0; i < b.length; i += 2) sum += (b[i]! << 8) | (b[i + 1] ?? 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function rtpBytes(p: RtpPacketSpec): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80; // V=2, no padding, no extension, no CSRC
  header[1] = (p.marker ? 0x80 : 0) | (p.pt & 0x7f);
  header.writeUInt16BE(p.seq & 0xffff, 2);
  header.writeUInt32BE(p.ts >>> 0, 4);
  header.writeUInt32BE(p.ssrc >>> 0, 8);
  return Buffer.concat([header, p.payload]);
}

/**
 * Writes RTP packets as a classic pcap (microseconds, Ethernet/IPv4/UDP), the
 * form sipp's play_pcap_audio reads. sipp rewrites the addresses and ports; it
 * keeps the spacing of the capture times.
 */
export function writeRtpPcap(file: string, packets: RtpPacketSpec[], opts: WriteRtpPcapOptions = {}): void {
  const src = ipv4Bytes(opts.srcIp ?? '10.0.0.1');
  const dst = ipv4Bytes(opts.dstIp ?? '10.0.0.2');
  const srcPort = opts.srcPort ?? 40000;
  const dstPort = opts.dstPort ?? 40002;
  const startUs = Math.round((opts.startEpochMs ?? Date.now()) * 1000);

  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeInt32LE(0, 8); // thiszone
  global.writeUInt32LE(0, 12); // sigfigs
  global.writeUInt32LE(65535, 16); // snaplen
  global.writeUInt32LE(LINKTYPE_ETHERNET, 20);

  const chunks: Buffer[] = [global];
  packets.forEach((p, i) => {
    const rtp = rtpBytes(p);
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(srcPort, 0);
    udp.writeUInt16BE(dstPort, 2);
    udp.writeUInt16BE(8 + rtp.length, 4);
    const pseudo = Buffer.concat([
      src,
      dst,
      Buffer.from([0, 17]),
      Buffer.from([(8 + rtp.length) >> 8, (8 + rtp.length) & 0xff]),
    ]);
    const udpSum = ~onesComplementSum([pseudo, udp, rtp]) & 0xffff;
    udp.writeUInt16BE(udpSum === 0 ? 0xffff : udpSum, 6);

    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + udp.length + rtp.length, 2);
    ip.writeUInt16BE(i & 0xffff, 4); // identification
    ip.writeUInt16BE(0x4000, 6); // don't fragment
    ip[8] = 64; // TTL
    ip[9] = 17; // UDP
    src.copy(ip, 12);
    dst.copy(ip, 16);
    ip.writeUInt16BE(~onesComplementSum([ip]) & 0xffff, 10);

    const eth = Buffer.from([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00]);
    const frame = Buffer.concat([eth, ip, udp, rtp]);
    const rec = Buffer.alloc(16);
    const us = startUs + Math.round(p.timeMs * 1000);
    rec.writeUInt32LE(Math.floor(us / 1e6), 0);
    rec.writeUInt32LE(us % 1e6, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    chunks.push(rec, frame);
  });
  fs.writeFileSync(file, Buffer.concat(chunks));
}

// ---------------------------------------------------------------- G.711 μ-law

const ULAW_BIAS = 0x84;
const ULAW_CLIP = 32635;

/** Linear 16-bit PCM to G.711 μ-law (ITU-T G.711, the segment/mantissa form). */
export function encodePcmu(samples: Int16Array | number[]): Buffer {
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) {
    let s = Math.round(samples[i] ?? 0);
    const sign = s < 0 ? 0x80 : 0;
    if (s < 0) s = -s;
    if (s > ULAW_CLIP) s = ULAW_CLIP;
    s += ULAW_BIAS;
    let exponent = 7;
    for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
    const mantissa = (s >> (exponent + 3)) & 0x0f;
    out[i] = ~(sign | (exponent << 4) | mantissa) & 0xff;
  }
  return out;
}

/** G.711 μ-law to linear 16-bit PCM. */
export function decodePcmu(ulaw: Buffer): Int16Array {
  const out = new Int16Array(ulaw.length);
  for (let i = 0; i < ulaw.length; i++) {
    const u = ~ulaw[i]! & 0xff;
    const exponent = (u >> 4) & 0x07;
    const magnitude = ((((u & 0x0f) << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
    out[i] = u & 0x80 ? -magnitude : magnitude;
  }
  return out;
}

/** A sine tone as G.711 μ-law at 8 kHz (amplitude relative to full scale). */
export function tonePcmu(freqHz: number, ms: number, amplitude = 0.5): Buffer {
  const n = Math.round((ms * 8000) / 1000);
  const samples = new Int16Array(n);
  for (let i = 0; i < n; i++)
    samples[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * freqHz * i) / 8000));
  return encodePcmu(samples);
}

/** Cuts G.711 audio into RTP packets of ptimeMs (8 samples per ms, one byte each). */
export function g711Packets(
  audio: Buffer,
  opts: { pt?: number; ptimeMs?: number; ssrc?: number; seq?: number; ts?: number } = {},
): RtpPacketSpec[] {
  const ptimeMs = opts.ptimeMs ?? 20;
  const size = ptimeMs * 8;
  const ssrc = opts.ssrc ?? 0x1234abcd;
  const seq0 = opts.seq ?? 1000;
  const ts0 = opts.ts ?? 160000;
  const packets: RtpPacketSpec[] = [];
  for (let i = 0; i * size < audio.length; i++) {
    packets.push({
      timeMs: i * ptimeMs,
      payload: audio.subarray(i * size, (i + 1) * size),
      pt: opts.pt ?? 0,
      seq: (seq0 + i) & 0xffff,
      ts: (ts0 + i * size) >>> 0,
      ssrc,
      marker: i === 0,
    });
  }
  return packets;
}

/** Frequency of a tone by its zero crossings (enough to tell 1 kHz from silence or noise). */
export function dominantFrequency(samples: Int16Array, sampleRate = 8000): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i - 1]! < 0 && samples[i]! >= 0) || (samples[i - 1]! >= 0 && samples[i]! < 0)) crossings++;
  }
  return (crossings / 2) * (sampleRate / samples.length);
}
