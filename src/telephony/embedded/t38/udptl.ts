/**
 * UDPTL, the UDP transport of T.38 IFP packets (ITU-T T.38 §9.1 and Annex
 * A's ASN.1, PER-encoded), with the redundancy error-recovery mode a sender
 * uses on lossy networks and the receiver that recovers lost packets from it.
 *
 * ```
 * UDPTLPacket ::= SEQUENCE {
 *   seq-number          INTEGER (0..65535),              -- 2 octets
 *   primary-ifp-packet  TYPE-IDENTIFIER.&Type(IFPPacket), -- length + octets
 *   error-recovery      CHOICE {                         -- 1 octet: 0x00 / 0x80
 *     secondary-ifp-packets SEQUENCE OF                  -- count, then length + octets each,
 *       TYPE-IDENTIFIER.&Type(IFPPacket),                -- the newest (seq - 1) first
 *     fec-info SEQUENCE {
 *       fec-npackets INTEGER,                            -- length 1, then the span octet
 *       fec-data     SEQUENCE OF OCTET STRING } } }
 * ```
 *
 * Lengths are PER length determinants (X.691 §10.9): one octet below 128,
 * two octets (`10xxxxxx xxxxxxxx`) below 16384. Longer, fragmented lengths
 * never occur within a T38FaxMaxDatagram and are refused. Decoding is total:
 * anything malformed gives null, never an exception.
 *
 * @see ITU-T T.38 (2010) §9.1 and Annex A (UDPTL ASN.1)
 * @see ITU-T X.691 §10.9 (length determinants)
 */

export type ErrorRecovery =
  { kind: 'redundancy'; secondary: Buffer[] } | { kind: 'fec'; span: number; entries: Buffer[] };

export interface UdptlPacket {
  seq: number;
  primary: Buffer;
  errorRecovery: ErrorRecovery;
}

/** Longest length a two-octet determinant holds (X.691 §10.9.3.7). */
const MAX_LENGTH = 16383;

function lengthBytes(n: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > MAX_LENGTH)
    throw new RangeError(`UDPTL: length ${n} out of range`);
  return n < 128 ? [n] : [0x80 | (n >> 8), n & 0xff];
}

export function encodeUdptl(p: UdptlPacket): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(2);
  head.writeUInt16BE(p.seq & 0xffff, 0);
  parts.push(head, Buffer.from(lengthBytes(p.primary.length)), p.primary);
  const er = p.errorRecovery;
  if (er.kind === 'redundancy') {
    parts.push(Buffer.from([0x00, ...lengthBytes(er.secondary.length)]));
    for (const s of er.secondary) parts.push(Buffer.from(lengthBytes(s.length)), s);
  } else {
    parts.push(Buffer.from([0x80, 1, er.span & 0xff, ...lengthBytes(er.entries.length)]));
    for (const e of er.entries) parts.push(Buffer.from(lengthBytes(e.length)), e);
  }
  return Buffer.concat(parts);
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  byte(): number | null {
    if (this.pos >= this.buf.length) return null;
    return this.buf[this.pos++]!;
  }

  length(): number | null {
    const first = this.byte();
    if (first === null) return null;
    if ((first & 0x80) === 0) return first;
    if ((first & 0x40) !== 0) return null; // a fragmented length (X.691 §10.9.3.8)
    const second = this.byte();
    if (second === null) return null;
    return ((first & 0x3f) << 8) | second;
  }

  octets(n: number): Buffer | null {
    if (this.pos + n > this.buf.length) return null;
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  openType(): Buffer | null {
    const n = this.length();
    return n === null ? null : this.octets(n);
  }
}

export function decodeUdptl(buf: Uint8Array): UdptlPacket | null {
  if (buf.length < 4) return null;
  const r = new Reader(buf);
  const seq = (buf[0]! << 8) | buf[1]!;
  r.pos = 2;
  const primary = r.openType();
  if (primary === null || primary.length === 0) return null;
  const choice = r.byte();
  if (choice === null) return null;
  let errorRecovery: ErrorRecovery;
  if ((choice & 0x80) === 0) {
    const count = r.length();
    if (count === null) return null;
    const secondary: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const s = r.openType();
      if (s === null) return null;
      secondary.push(s);
    }
    errorRecovery = { kind: 'redundancy', secondary };
  } else {
    if (r.length() !== 1) return null;
    const span = r.byte();
    const count = r.length();
    if (span === null || count === null) return null;
    const entries: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const e = r.openType();
      if (e === null) return null;
      entries.push(e);
    }
    errorRecovery = { kind: 'fec', span, entries };
  }
  if (!r.done) return null;
  return { seq, primary, errorRecovery };
}

export interface UdptlSenderOptions {
  /** How many earlier IFP packets each datagram repeats (T.38 §9.1 redundancy); 0 = none. */
  redundancy: number;
  /** The far end's T38FaxMaxDatagram: older secondaries are left out to stay within it. */
  maxDatagram: number;
}

/**
 * Wraps outgoing IFP packets in UDPTL datagrams with consecutive sequence
 * numbers, each repeating the `redundancy` packets before it (newest first)
 * as far as the far end's T38FaxMaxDatagram allows.
 */
export class UdptlSender {
  private seq = 0;
  private readonly history: Buffer[] = [];

  constructor(private readonly opts: UdptlSenderOptions) {}

  packet(ifp: Buffer): Buffer {
    const secondary: Buffer[] = [];
    let size = 2 + lengthBytes(ifp.length).length + ifp.length + 2;
    for (const previous of this.history) {
      const add = lengthBytes(previous.length).length + previous.length;
      if (size + add > this.opts.maxDatagram) break;
      secondary.push(previous);
      size += add;
    }
    const out = encodeUdptl({
      seq: this.seq,
      primary: ifp,
      errorRecovery: { kind: 'redundancy', secondary },
    });
    this.seq = (this.seq + 1) & 0xffff;
    if (this.opts.redundancy > 0) {
      this.history.unshift(ifp);
      if (this.history.length > this.opts.redundancy) this.history.pop();
    }
    return out;
  }
}

export interface ReceivedIfp {
  /** The sender's sequence number. */
  seq: number;
  /**
   * A sequence number that goes on where the last one left off when the
   * sender's numbering starts again: what the IFP decoder (which drops
   * numbers it has seen) is given.
   */
  index: number;
  ifp: Buffer;
  /** Taken from a later datagram's redundancy, not its own datagram. */
  recovered: boolean;
}

export interface UdptlReceiverStats {
  datagrams: number;
  malformed: number;
  /** Datagrams that came too late or twice (their packets were delivered already). */
  stale: number;
  recovered: number;
  /** IFP packets lost for good (neither they nor a redundant copy arrived). */
  lost: number;
  /** Times the far end's sequence numbering started again. */
  resyncs: number;
}

/** Datagrams further behind than this are no reordering but a new numbering ... */
const FAR_BEHIND = 64;
/** ... once this many arrive in a row. */
const RESYNC_AFTER = 8;

/**
 * Turns received UDPTL datagrams into IFP packets in sequence order: a gap
 * before a datagram is filled from its secondary packets where they reach
 * back far enough (T.38 §9.1.4.2), duplicates and late datagrams are
 * dropped. FEC datagrams deliver their primary packet; their FEC data is
 * not used to rebuild losses (the engine negotiates redundancy, see sdp-t38).
 */
export class UdptlReceiver {
  private next: number | null = null;
  /** Datagrams in a row from far behind the expected sequence number (see RESYNC_AFTER). */
  private farBehind = 0;
  /** index = seq + offset (mod 2^16); moved on a resync so the index stays continuous. */
  private offset = 0;
  readonly stats: UdptlReceiverStats = {
    datagrams: 0,
    malformed: 0,
    stale: 0,
    recovered: 0,
    lost: 0,
    resyncs: 0,
  };

  receive(datagram: Uint8Array): ReceivedIfp[] {
    this.stats.datagrams++;
    const p = decodeUdptl(datagram);
    if (!p) {
      this.stats.malformed++;
      return [];
    }
    const out: ReceivedIfp[] = [];
    if (this.next !== null) {
      const gap = (p.seq - this.next) & 0xffff;
      // More than half the sequence space ahead means behind: late or repeated.
      if (gap >= 0x8000) {
        this.stats.stale++;
        // A sender that starts its numbering again (a new gateway after a
        // re-INVITE, a restart) stays far behind: after a few such datagrams
        // in a row its numbering is taken as the new one.
        this.farBehind = 0x10000 - gap > FAR_BEHIND ? this.farBehind + 1 : 0;
        if (this.farBehind < RESYNC_AFTER) return [];
        this.stats.resyncs++;
        this.offset = (this.next - p.seq) & 0xffff;
        this.next = p.seq;
      }
      this.farBehind = 0;
      const secondary = p.errorRecovery.kind === 'redundancy' ? p.errorRecovery.secondary : [];
      for (let back = gap; back >= 1; back--) {
        const copy = secondary[back - 1];
        const seq = (p.seq - back) & 0xffff;
        if (copy && copy.length > 0) {
          out.push({ seq, index: (seq + this.offset) & 0xffff, ifp: copy, recovered: true });
          this.stats.recovered++;
        } else {
          this.stats.lost++;
        }
      }
    }
    out.push({ seq: p.seq, index: (p.seq + this.offset) & 0xffff, ifp: p.primary, recovered: false });
    this.next = (p.seq + 1) & 0xffff;
    return out;
  }
}
