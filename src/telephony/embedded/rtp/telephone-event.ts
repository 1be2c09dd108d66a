/**
 * The telephone-event payload: DTMF and other named events carried in RTP.
 *
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ```
 *
 * E marks the end of the event; R is reserved (sent as 0, ignored on
 * receipt); volume is the power level in -dBm0, 0-63; duration is in
 * timestamp units since the event began.
 *
 * @see RFC 4733 §2.3
 */
export interface TelephoneEvent {
  event: number;
  end: boolean;
  volume: number;
  duration: number;
}

export const TELEPHONE_EVENT_SIZE = 4;

/** The first event of the payload, or null when it is shorter than 4 octets. */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < TELEPHONE_EVENT_SIZE) return null;
  const b1 = payload[1]!;
  return {
    event: payload[0]!,
    end: (b1 & 0x80) !== 0,
    volume: b1 & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

function checkUint(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new RangeError(`telephone-event ${name} out of range: ${v}`);
  }
}

/** Four octets; throws RangeError for fields that do not fit their width. */
export function buildTelephoneEvent(e: TelephoneEvent): Buffer {
  checkUint('event', e.event, 0xff);
  checkUint('volume', e.volume, 0x3f);
  checkUint('duration', e.duration, 0xffff);
  const buf = Buffer.allocUnsafe(TELEPHONE_EVENT_SIZE);
  buf[0] = e.event;
  buf[1] = (e.end ? 0x80 : 0) | e.volume;
  buf.writeUInt16BE(e.duration, 2);
  return buf;
}

/** DTMF events 0-15 in code order (RFC 4733 §3.2, Table 7). */
const DTMF = '0123456789*#ABCD';

/** The DTMF digit of event codes 0-15, or null for any other event. */
export function eventToDigit(event: number): string | null {
  return Number.isInteger(event) && event >= 0 && event < DTMF.length ? DTMF.charAt(event) : null;
}

/** The event code of a DTMF digit (0-9, *, #, A-D, either case), or null. */
export function digitToEvent(digit: string): number | null {
  if (digit.length !== 1) return null;
  const i = DTMF.indexOf(digit.toUpperCase());
  return i < 0 ? null : i;
}
