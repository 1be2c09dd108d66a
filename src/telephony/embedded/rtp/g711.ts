/**
 * G.711 companding of 16-bit linear PCM (ITU-T G.711): μ-law for PCMU and
 * A-law for PCMA, the static RTP payload types 0 and 8 (RFC 3551 §6).
 *
 * μ-law: sign, 3-bit segment, 4-bit step, all inverted; segment e covers the
 * biased magnitudes [2^(e+7), 2^(e+8)) (bias 0x84, clipped at 32635), and a
 * code decodes to the middle of its interval.
 * A-law: sign, 3-bit segment, 4-bit step on the 13-bit magnitude, even bits
 * inverted (XOR 0x55); segments 0 and 1 share the same step size.
 *
 * The encoder agrees with the ITU-T G.191 reference software for every 16-bit
 * input (so a sample takes the code of its G.711 interval, not of the nearest
 * decoded value). Everything goes through lookup tables built once at load:
 * 64 KiB per law to encode (indexed by the sample's 16 bits) and 256 samples
 * to decode.
 */
export type G711Codec = 'PCMU' | 'PCMA';

/** RTP payload types of RFC 3551 §6, Table 4. */
export const G711_PAYLOAD_TYPE: Readonly<Record<G711Codec, number>> = { PCMU: 0, PCMA: 8 };

const ULAW_BIAS = 0x84;
const ULAW_CLIP = 32635;

function ulawEncodeFormula(sample: number): number {
  // Negative samples take the one's complement, as the ITU-T G.191 reference
  // coder does; that places the segment edges where G.711 Table 2a has them.
  let s = sample < 0 ? ~sample : sample;
  if (s > ULAW_CLIP) s = ULAW_CLIP;
  s += ULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent -= 1;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~((sample < 0 ? 0x80 : 0) | (exponent << 4) | mantissa) & 0xff;
}

function ulawDecodeFormula(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

function alawEncodeFormula(sample: number): number {
  let s = sample >> 3;
  let mask = 0xd5;
  if (s < 0) {
    mask = 0x55;
    s = -s - 1;
  }
  let segment = 0;
  while (segment < 8 && s >= 0x20 << segment) segment += 1;
  if (segment >= 8) return 0x7f ^ mask;
  const step = segment < 2 ? (s >> 1) & 0x0f : (s >> segment) & 0x0f;
  return ((segment << 4) | step) ^ mask;
}

function alawDecodeFormula(code: number): number {
  const a = code ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let t = (a & 0x0f) << 4;
  if (segment === 0) t += 8;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

function encodeTable(f: (sample: number) => number): Uint8Array {
  const t = new Uint8Array(0x10000);
  for (let i = 0; i < 0x10000; i += 1) t[i] = f((i << 16) >> 16);
  return t;
}

function decodeTable(f: (code: number) => number): Int16Array {
  const t = new Int16Array(256);
  for (let i = 0; i < 256; i += 1) t[i] = f(i);
  return t;
}

const ULAW_ENCODE = encodeTable(ulawEncodeFormula);
const ULAW_DECODE = decodeTable(ulawDecodeFormula);
const ALAW_ENCODE = encodeTable(alawEncodeFormula);
const ALAW_DECODE = decodeTable(alawDecodeFormula);

/** The table index of a sample: clamped to 16 bits, as two's complement. */
function index(sample: number): number {
  const s = sample > 32767 ? 32767 : sample < -32768 ? -32768 : sample | 0;
  return s & 0xffff;
}

/** μ-law code of a linear sample (clamped to the 16-bit range). */
export function linearToUlaw(sample: number): number {
  return ULAW_ENCODE[index(sample)]!;
}

export function ulawToLinear(code: number): number {
  return ULAW_DECODE[code & 0xff]!;
}

/** A-law code of a linear sample (clamped to the 16-bit range). */
export function linearToAlaw(sample: number): number {
  return ALAW_ENCODE[index(sample)]!;
}

export function alawToLinear(code: number): number {
  return ALAW_DECODE[code & 0xff]!;
}

/** One octet per sample: the RTP payload of RFC 3551 §4.5.14. */
export function encode(codec: G711Codec, pcm: Int16Array): Buffer {
  const table = codec === 'PCMU' ? ULAW_ENCODE : ALAW_ENCODE;
  const out = Buffer.allocUnsafe(pcm.length);
  for (let i = 0; i < pcm.length; i += 1) out[i] = table[pcm[i]! & 0xffff]!;
  return out;
}

export function decode(codec: G711Codec, payload: Uint8Array): Int16Array {
  const table = codec === 'PCMU' ? ULAW_DECODE : ALAW_DECODE;
  const out = new Int16Array(payload.length);
  for (let i = 0; i < payload.length; i += 1) out[i] = table[payload[i]!]!;
  return out;
}
