/**
 * The RTP fixed header.
 *
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ```
 *
 * With X set, a header extension follows the CSRC list (RFC 3550 §5.3.1): a
 * 16-bit profile-defined value, a 16-bit length in 32-bit words, then that
 * many words. With P set, the last octet of the packet counts the padding
 * octets at the end, itself included.
 *
 * @see RFC 3550 §5.1
 */
export interface RtpHeader {
  version: number;
  padding: boolean;
  extension: boolean;
  csrcCount: number;
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** Where the payload starts: after the CSRC list and the header extension. */
  payloadOffset: number;
  /** Payload octets, padding excluded. */
  payloadLength: number;
}

export const RTP_HEADER_SIZE = 12;

/** A header object to parse into again and again (see parseRtpInto). */
export function emptyRtpHeader(): RtpHeader {
  return {
    version: 0,
    padding: false,
    extension: false,
    csrcCount: 0,
    marker: false,
    payloadType: 0,
    sequence: 0,
    timestamp: 0,
    ssrc: 0,
    payloadOffset: 0,
    payloadLength: 0,
  };
}

/**
 * Parses `buf` into `out` without allocating; answers false (and leaves `out`
 * in an unspecified state) for anything that is not a well-formed RTP version 2
 * packet: too short for its CSRC list or extension, or padding longer than the
 * payload (RFC 3550 §5.1, §5.3.1). Never throws.
 */
export function parseRtpInto(buf: Buffer, out: RtpHeader): boolean {
  const len = buf.length;
  if (len < RTP_HEADER_SIZE) return false;
  const b0 = buf[0]!;
  if (b0 >> 6 !== 2) return false;
  const csrcCount = b0 & 0x0f;
  let offset = RTP_HEADER_SIZE + 4 * csrcCount;
  if (offset > len) return false;
  const extension = (b0 & 0x10) !== 0;
  if (extension) {
    if (offset + 4 > len) return false;
    offset += 4 + 4 * buf.readUInt16BE(offset + 2);
    if (offset > len) return false;
  }
  const padding = (b0 & 0x20) !== 0;
  let end = len;
  if (padding) {
    const pad = buf[len - 1]!;
    // The count includes itself, so 0 is malformed (RFC 3550 §5.1 P).
    if (pad === 0 || offset + pad > len) return false;
    end -= pad;
  }
  const b1 = buf[1]!;
  out.version = 2;
  out.padding = padding;
  out.extension = extension;
  out.csrcCount = csrcCount;
  out.marker = (b1 & 0x80) !== 0;
  out.payloadType = b1 & 0x7f;
  out.sequence = buf.readUInt16BE(2);
  out.timestamp = buf.readUInt32BE(4);
  out.ssrc = buf.readUInt32BE(8);
  out.payloadOffset = offset;
  out.payloadLength = end - offset;
  return true;
}

/** The RTP header of `buf`, or null when it is not RTP version 2 (see parseRtpInto). */
export function parseRtp(buf: Buffer): RtpHeader | null {
  const h = emptyRtpHeader();
  return parseRtpInto(buf, h) ? h : null;
}

/**
 * RTCP multiplexed on the RTP port: packet types 200-204 (SR, RR, SDES, BYE,
 * APP) put 72-76 in the low seven bits of the second octet, where RTP has its
 * payload type (RFC 5761 §4).
 */
export function isRtcp(buf: Buffer): boolean {
  if (buf.length < 2) return false;
  const pt = buf[1]! & 0x7f;
  return pt >= 72 && pt <= 76;
}

export interface RtpHeaderInit {
  payloadType: number;
  marker?: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
}

function checkUint(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`RTP ${name} out of range: ${v}`);
}

/**
 * A version 2 packet with no CSRC, extension or padding (RFC 3550 §5.1).
 * Throws RangeError for fields that do not fit their width.
 */
export function buildRtp(h: RtpHeaderInit, payload: Buffer): Buffer {
  checkUint('payload type', h.payloadType, 0x7f);
  checkUint('sequence', h.sequence, 0xffff);
  checkUint('timestamp', h.timestamp, 0xffffffff);
  checkUint('SSRC', h.ssrc, 0xffffffff);
  const buf = Buffer.allocUnsafe(RTP_HEADER_SIZE + payload.length);
  buf[0] = 0x80;
  buf[1] = (h.marker ? 0x80 : 0) | h.payloadType;
  buf.writeUInt16BE(h.sequence, 2);
  buf.writeUInt32BE(h.timestamp, 4);
  buf.writeUInt32BE(h.ssrc, 8);
  payload.copy(buf, RTP_HEADER_SIZE);
  return buf;
}
