import { describe, expect, it } from 'vitest';
import {
  alawToLinear,
  decode,
  encode,
  linearToAlaw,
  linearToUlaw,
  ulawToLinear,
} from '../../src/telephony/embedded/rtp/g711.js';

/** ulaw_compress() of the ITU-T G.191 software tools library (STL), on 16-bit input. */
function ulawG191(x: number): number {
  let absno = x < 0 ? (~x >> 2) + 33 : (x >> 2) + 33;
  if (absno > 0x1fff) absno = 0x1fff;
  let segno = 1;
  for (let i = absno >> 6; i !== 0; i >>= 1) segno += 1;
  const out = ((0x8 - segno) << 4) | (0xf - ((absno >> segno) & 0xf));
  return x >= 0 ? out | 0x80 : out;
}

/** alaw_compress() of the ITU-T G.191 STL, on 16-bit input. */
function alawG191(x: number): number {
  let ix = x < 0 ? ~x >> 4 : x >> 4;
  if (ix > 15) {
    let iexp = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      iexp += 1;
    }
    ix = ix - 16 + (iexp << 4);
  }
  return (x >= 0 ? ix | 0x80 : ix) ^ 0x55;
}

const ALL_SAMPLES = Array.from({ length: 65536 }, (_, i) => i - 32768);
const ALL_CODES = Array.from({ length: 256 }, (_, i) => i);

describe('G.711 μ-law (PCMU)', () => {
  it('decodes the ends and the zeros of the code space', () => {
    expect(ulawToLinear(0xff)).toBe(0);
    expect(ulawToLinear(0x7f)).toBe(0);
    expect(ulawToLinear(0x80)).toBe(32124);
    expect(ulawToLinear(0x00)).toBe(-32124);
    expect(ulawToLinear(0xfe)).toBe(8);
    expect(ulawToLinear(0xf0)).toBe(120);
    expect(ulawToLinear(0xef)).toBe(132);
    expect(linearToUlaw(0)).toBe(0xff);
    expect(linearToUlaw(32767)).toBe(0x80);
    expect(linearToUlaw(-32768)).toBe(0x00);
  });

  it('decodes every code to the value of G.711 Table 2a', () => {
    for (const code of ALL_CODES) {
      const u = ~code & 0xff;
      const magnitude = 4 * (((2 * (u & 0x0f) + 33) << ((u >> 4) & 7)) - 33);
      expect(ulawToLinear(code)).toBe(u & 0x80 && magnitude !== 0 ? -magnitude : magnitude);
    }
  });

  it('encodes every 16-bit sample as the ITU-T G.191 reference does', () => {
    const mismatches = ALL_SAMPLES.filter((x) => linearToUlaw(x) !== ulawG191(x));
    expect(mismatches).toEqual([]);
  });

  it('gives every code back after a decode, but negative zero', () => {
    for (const code of ALL_CODES) expect(linearToUlaw(ulawToLinear(code))).toBe(code === 0x7f ? 0xff : code);
  });

  it('errs by at most half a step: (|x| + 132) / 32 inside the range, the clip above it', () => {
    const worse = ALL_SAMPLES.filter((x) => {
      const err = Math.abs(ulawToLinear(linearToUlaw(x)) - x);
      return Math.abs(x) <= 32124 ? err > (Math.abs(x) + 132) / 32 : err > Math.abs(x) - 32124;
    });
    expect(worse).toEqual([]);
  });
});

describe('G.711 A-law (PCMA)', () => {
  it('decodes the ends and the zeros of the code space', () => {
    expect(alawToLinear(0xd5)).toBe(8);
    expect(alawToLinear(0x55)).toBe(-8);
    expect(alawToLinear(0xaa)).toBe(32256);
    expect(alawToLinear(0x2a)).toBe(-32256);
    expect(linearToAlaw(0)).toBe(0xd5);
    expect(linearToAlaw(-1)).toBe(0x55);
    expect(linearToAlaw(32767)).toBe(0xaa);
    expect(linearToAlaw(-32768)).toBe(0x2a);
  });

  it('decodes every code to the value of G.711 Table 1a', () => {
    for (const code of ALL_CODES) {
      const a = code ^ 0x55;
      const seg = (a >> 4) & 7;
      const step = a & 0x0f;
      const magnitude = 8 * (seg === 0 ? 2 * step + 1 : (2 * step + 33) << (seg - 1));
      expect(alawToLinear(code)).toBe(a & 0x80 ? magnitude : -magnitude);
    }
  });

  it('encodes every 16-bit sample as the ITU-T G.191 reference does', () => {
    const mismatches = ALL_SAMPLES.filter((x) => linearToAlaw(x) !== alawG191(x));
    expect(mismatches).toEqual([]);
  });

  it('gives every code back after a decode', () => {
    for (const code of ALL_CODES) expect(linearToAlaw(alawToLinear(code))).toBe(code);
  });

  it('errs by at most half a step: |x| / 32 + 8 inside the range, the clip above it', () => {
    const worse = ALL_SAMPLES.filter((x) => {
      const err = Math.abs(alawToLinear(linearToAlaw(x)) - x);
      return Math.abs(x) <= 32256 ? err > Math.abs(x) / 32 + 8 : err > Math.abs(x) - 32256;
    });
    expect(worse).toEqual([]);
  });
});

describe('G.711 buffers', () => {
  const tone = Int16Array.from({ length: 160 }, (_, i) =>
    Math.round(10000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)),
  );

  it.each(['PCMU', 'PCMA'] as const)('%s keeps a 1 kHz tone at toll quality (SNR > 35 dB)', (codec) => {
    const payload = encode(codec, tone);
    expect(payload).toHaveLength(160);
    const back = decode(codec, payload);
    let signal = 0;
    let noise = 0;
    tone.forEach((x, i) => {
      signal += x * x;
      noise += (x - back[i]!) ** 2;
    });
    expect(10 * Math.log10(signal / noise)).toBeGreaterThan(35);
  });

  it('encodes sample by sample with the same codes as the scalar functions', () => {
    const pcm = Int16Array.from([0, 1, -1, 1000, -1000, 32767, -32768]);
    expect([...encode('PCMU', pcm)]).toEqual([...pcm].map(linearToUlaw));
    expect([...encode('PCMA', pcm)]).toEqual([...pcm].map(linearToAlaw));
    expect([...decode('PCMU', Buffer.from([0xff, 0x80, 0x00]))]).toEqual([0, 32124, -32124]);
    expect([...decode('PCMA', Buffer.from([0xd5, 0xaa, 0x2a]))]).toEqual([8, 32256, -32256]);
  });

  it('clamps scalar samples beyond 16 bits instead of wrapping them', () => {
    expect(linearToUlaw(40000)).toBe(linearToUlaw(32767));
    expect(linearToUlaw(-40000)).toBe(linearToUlaw(-32768));
    expect(linearToAlaw(70000)).toBe(linearToAlaw(32767));
  });
});
