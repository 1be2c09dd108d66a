import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeUdptl,
  encodeUdptl,
  UdptlReceiver,
  UdptlSender,
  type UdptlPacket,
} from '../../src/telephony/embedded/t38/udptl.js';

/** Captured UDPTL datagrams of a real T.38 call (the fixture names its source). */
const capture = JSON.parse(
  fs.readFileSync(new URL('../fixtures/t38/vega-udptl.json', import.meta.url), 'utf8'),
) as {
  source: string;
  flows: Record<string, Array<{ frame: number; hex: string }>>;
};
const broadworks = capture.flows['broadworks-16834-to-10338']!.map((p) => Buffer.from(p.hex, 'hex'));
const device = capture.flows['device-10074-to-16524']!.map((p) => Buffer.from(p.hex, 'hex'));

/** T.38 §7 IFP: the first octet says indicator or data and which (T.38 Annex A, aligned PER). */
function ifpKind(ifp: Buffer): string {
  const first = ifp[0]!;
  const value = (first >> 1) & 0x0f;
  if ((first & 0x40) === 0) return `indicator:${value}`;
  return `data:${value}`;
}

describe('UDPTL against a captured T.38 call', () => {
  it('decodes every captured datagram and re-encodes it to the same bytes', () => {
    for (const d of [...broadworks, ...device]) {
      const p = decodeUdptl(d);
      expect(p, d.toString('hex')).not.toBeNull();
      expect(encodeUdptl(p!).equals(d)).toBe(true);
    }
  });

  it('reads the fields as the capture shows them: seq, primary IFP, redundancy', () => {
    // 0000 01 00 00 01 01 00: seq 0, primary IFP [00] (indicator no-signal), redundancy with one [00]
    expect(decodeUdptl(broadworks[0]!)).toEqual({
      seq: 0,
      primary: Buffer.from([0x00]),
      errorRecovery: { kind: 'redundancy', secondary: [Buffer.from([0x00])] },
    });
    const first = decodeUdptl(broadworks.find((d) => d[1] === 2)!)!;
    // seq 2: V.21 HDLC data (flags) after the V.21 preamble indicator of seq 1 carried as redundancy
    expect(first.seq).toBe(2);
    expect(first.primary.toString('hex')).toBe('c001800000ff');
    expect(ifpKind(first.primary)).toBe('data:0');
    expect(first.errorRecovery).toEqual({ kind: 'redundancy', secondary: [Buffer.from([0x06])] });
    expect(ifpKind(Buffer.from([0x06]))).toBe('indicator:3');
    // a datagram of the other device with two secondaries, and one with none
    expect(decodeUdptl(device[0]!)).toMatchObject({
      seq: 0x2a,
      errorRecovery: { kind: 'redundancy', secondary: [Buffer.from('c00110', 'hex'), Buffer.from([0])] },
    });
    expect(decodeUdptl(device[3]!)).toMatchObject({ seq: 0x2d, errorRecovery: { secondary: [] } });
  });

  it("each new datagram repeats the previous datagram's primary IFP (the sender's redundancy)", () => {
    const packets = broadworks.map((d) => decodeUdptl(d)!);
    let checked = 0;
    for (let i = 1; i < packets.length; i++) {
      const prev = packets[i - 1]!;
      const cur = packets[i]!;
      if (cur.seq !== ((prev.seq + 1) & 0xffff) || cur.errorRecovery.kind !== 'redundancy') continue;
      expect(cur.errorRecovery.secondary[0]).toEqual(prev.primary);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('the receiver rebuilds a lost captured datagram from the next one', () => {
    const rx = new UdptlReceiver();
    const seqs: number[] = [];
    const kept = broadworks.filter((d) => d[1] !== 5 || d[0] !== 0); // drop seq 5
    const wanted = new Map<number, string>();
    for (const d of broadworks) {
      const p = decodeUdptl(d)!;
      if (!wanted.has(p.seq)) wanted.set(p.seq, p.primary.toString('hex'));
    }
    for (const d of kept) {
      for (const r of rx.receive(d)) {
        seqs.push(r.seq);
        expect(r.ifp.toString('hex')).toBe(wanted.get(r.seq));
        if (r.seq === 5) expect(r.recovered).toBe(true);
      }
    }
    expect(seqs).toContain(5);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(rx.stats.recovered).toBe(1);
    expect(rx.stats.lost).toBe(0);
    // The captured sender repeats its early datagrams: those are dropped, not delivered twice.
    expect(rx.stats.stale).toBeGreaterThan(0);
  });
});

describe('UDPTL encoding', () => {
  it('uses two-octet lengths from 128 octets on and refuses fragmented ones', () => {
    const big = Buffer.alloc(300, 0xaa);
    const d = encodeUdptl({ seq: 7, primary: big, errorRecovery: { kind: 'redundancy', secondary: [] } });
    expect(d.subarray(0, 4).toString('hex')).toBe('0007812c');
    expect(decodeUdptl(d)?.primary.length).toBe(300);
    const fragmented = Buffer.from([0, 1, 0xc1, 0, 0]);
    expect(decodeUdptl(fragmented)).toBeNull();
  });

  it('round-trips FEC packets (T.38 fec-info)', () => {
    const p: UdptlPacket = {
      seq: 65535,
      primary: Buffer.from([0x06]),
      errorRecovery: { kind: 'fec', span: 3, entries: [Buffer.from([1, 2]), Buffer.from([3])] },
    };
    const d = encodeUdptl(p);
    // seq ffff, [06], fec-info: 0x80, length 1, span 3, 2 entries [01 02] [03]
    expect(d.toString('hex')).toBe('ffff0106800103020201020103');
    expect(decodeUdptl(d)).toEqual(p);
  });

  it('never throws on garbage and rejects trailing or missing bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const p = decodeUdptl(bytes);
        // the CHOICE octet's 7 padding bits are ignored on reading (as Asterisk does) and written as 0
        if (p) expect(decodeUdptl(encodeUdptl(p))).toEqual(p);
      }),
      { numRuns: 3000 },
    );
    const good = broadworks[40]!;
    expect(decodeUdptl(Buffer.concat([good, Buffer.from([0])]))).toBeNull();
    expect(decodeUdptl(good.subarray(0, good.length - 1))).toBeNull();
  });

  it('round-trips any packet (property)', () => {
    const ifp = fc.uint8Array({ minLength: 1, maxLength: 400 }).map((a) => Buffer.from(a));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        ifp,
        fc.array(ifp, { maxLength: 4 }),
        (seq, primary, secondary) => {
          const p: UdptlPacket = { seq, primary, errorRecovery: { kind: 'redundancy', secondary } };
          expect(decodeUdptl(encodeUdptl(p))).toEqual(p);
        },
      ),
    );
  });
});

describe('UdptlSender and UdptlReceiver over a lossy channel', () => {
  it('with redundancy 3 every packet survives isolated losses, in order, exactly once', () => {
    const tx = new UdptlSender({ redundancy: 3, maxDatagram: 400 });
    const rx = new UdptlReceiver();
    const sent = Array.from({ length: 500 }, (_, i) => Buffer.from(`ifp-${i}`));
    const got: string[] = [];
    sent.forEach((ifp, i) => {
      const d = tx.packet(ifp);
      if (i % 7 === 3 || i % 11 === 5) return; // lost
      for (const r of rx.receive(d)) got.push(r.ifp.toString());
    });
    // the last datagrams' losses cannot be recovered once nothing follows; 499 % 7 != 3, 499 % 11 != 5
    expect(got).toEqual(sent.map(String));
    expect(rx.stats.lost).toBe(0);
  });

  it('counts packets lost for good when more in a row are lost than the redundancy covers', () => {
    const tx = new UdptlSender({ redundancy: 1, maxDatagram: 400 });
    const rx = new UdptlReceiver();
    for (let i = 0; i < 10; i++) {
      const d = tx.packet(Buffer.from([i + 1]));
      if (i === 4 || i === 5 || i === 6) continue;
      rx.receive(d);
    }
    expect(rx.stats).toMatchObject({ recovered: 1, lost: 2 });
  });

  it('follows a sender whose numbering starts again, but not a late duplicate', () => {
    const rx = new UdptlReceiver();
    const d = (seq: number) =>
      encodeUdptl({
        seq,
        primary: Buffer.from([seq & 0xff]),
        errorRecovery: { kind: 'redundancy', secondary: [] },
      });
    for (let seq = 1000; seq < 1010; seq++) rx.receive(d(seq));
    // a duplicate of the last datagram, many times: never delivered again
    for (let i = 0; i < 20; i++) expect(rx.receive(d(1009))).toEqual([]);
    // a new numbering from 0: dropped at first, followed after 8 in a row,
    // with an index that goes on from 1010 for the IFP decoder
    const got: number[][] = [];
    for (let seq = 0; seq < 12; seq++) for (const r of rx.receive(d(seq))) got.push([r.seq, r.index]);
    expect(got).toEqual([
      [7, 1010],
      [8, 1011],
      [9, 1012],
      [10, 1013],
      [11, 1014],
    ]);
    expect(rx.stats.resyncs).toBe(1);
  });

  it("leaves out older secondaries that would exceed the far end's T38FaxMaxDatagram", () => {
    const tx = new UdptlSender({ redundancy: 3, maxDatagram: 100 });
    tx.packet(Buffer.alloc(60, 1));
    tx.packet(Buffer.alloc(30, 2));
    const d = tx.packet(Buffer.alloc(30, 3));
    expect(d.length).toBeLessThanOrEqual(100);
    const p = decodeUdptl(d)!;
    expect(p.errorRecovery).toEqual({ kind: 'redundancy', secondary: [Buffer.alloc(30, 2)] });
  });
});
