import { alawToLinear, ulawToLinear } from '../rtp/g711.js';
import type { RtpHeader } from '../rtp/packet.js';
import {
  buildTelephoneEvent,
  digitToEvent,
  eventToDigit,
  parseTelephoneEvent,
} from '../rtp/telephone-event.js';
import {
  mediaPacer,
  RtpTimeline,
  SAMPLE_RATE,
  SAMPLES_PER_FRAME,
  type MediaPacer,
  type RtpSender,
} from './pacer.js';
import type { ToneSource } from './player.js';

export interface DtmfDigit {
  /** 0-9, *, #, A-D. */
  digit: string;
  durationMs: number;
  /**
   * Where the digit began: its RTP timestamp (DtmfReceiver, and the event
   * timestamp of RFC 4733); for InbandDtmfDetector used alone, the index of
   * its first sample among all samples pushed.
   */
  timestamp: number;
  source: 'rfc4733' | 'inband';
}

/** The default dynamic payload type of telephone-event (what most phones offer). */
export const TELEPHONE_EVENT_PAYLOAD_TYPE = 101;

/** Low (row) and high (column) group frequencies of ITU-T Q.23, and the keypad. */
export const DTMF_ROW_HZ = [697, 770, 852, 941] as const;
export const DTMF_COLUMN_HZ = [1209, 1336, 1477, 1633] as const;
const KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

/** The two frequencies of a DTMF digit (either case for A-D); RangeError for anything else. */
export function dtmfFrequencies(digit: string): [number, number] {
  for (let r = 0; r < 4; r += 1) {
    const c = digit.length === 1 ? KEYPAD[r]!.indexOf(digit.toUpperCase()) : -1;
    if (c >= 0) return [DTMF_ROW_HZ[r]!, DTMF_COLUMN_HZ[c]!];
  }
  throw new RangeError(`not a DTMF digit: ${JSON.stringify(digit)}`);
}

/** A DTMF digit as an in-band tone source for the Player (Q.24 levels: about -7 dBm0 per tone). */
export function dtmfTone(digit: string, durationMs = 100, pauseMs = 100, levelDbm0 = -7): ToneSource {
  return { kind: 'tone', frequencies: dtmfFrequencies(digit), durationMs, intervalMs: pauseMs, levelDbm0 };
}

const NONE: readonly DtmfDigit[] = Object.freeze([]);

/** Signed distance a - b of two 32-bit RTP timestamps. */
function tsDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/**
 * RFC 4733 events to digits. One event is all the packets with one RTP
 * timestamp (§2.5.1.1): the digit is reported once, when its end packet
 * arrives, with the duration it carries (timestamp units: 8 per ms); the
 * retransmitted end packets (§2.5.1.4) and any late packet of an event already
 * reported are ignored. When every end packet is lost the digit is reported
 * when the next event starts, or by expire()/flush(). Events other than
 * DTMF (16 and up: flash, modem tones) are ignored.
 */
export class TelephoneEventDetector {
  #ssrc = -1;
  /** The event in progress. */
  #timestamp = 0;
  #event = -1;
  #duration = 0;
  /** Timestamps of the last events reported, to ignore their retransmissions. */
  readonly #reported: number[] = [];

  push(
    header: Pick<RtpHeader, 'timestamp' | 'ssrc'> & { marker?: boolean },
    payload: Uint8Array,
  ): readonly DtmfDigit[] {
    const te = parseTelephoneEvent(payload);
    if (te === null || eventToDigit(te.event) === null) return NONE;
    let out: DtmfDigit[] | null = null;
    if (header.ssrc !== this.#ssrc) {
      out = this.#takePending(out);
      this.#ssrc = header.ssrc;
      this.#reported.length = 0;
    }
    const ts = header.timestamp;
    if (this.#reported.includes(ts)) {
      // A marker starts a new event (§2.5.1.2) even on a reported timestamp: a
      // replayed capture (sipp's play_pcap_audio) repeats its timestamps. Anything
      // else there is a retransmission of the reported event.
      if (header.marker !== true || te.end) return out ?? NONE;
      this.#reported.splice(this.#reported.indexOf(ts), 1);
    }
    if (this.#event >= 0 && ts !== this.#timestamp) out = this.#takePending(out);
    if (this.#event < 0) {
      this.#timestamp = ts;
      this.#event = te.event;
      this.#duration = 0;
    }
    if (te.duration > this.#duration) this.#duration = te.duration;
    if (te.end) out = this.#takePending(out);
    return out ?? NONE;
  }

  /**
   * Reports the event in progress when media at `timestamp` lies more than
   * 200 ms past its last known duration: its end packets were lost, and a
   * sender updates a running event at least every 50 ms (RFC 4733 §2.5.1.2).
   */
  expire(timestamp: number): readonly DtmfDigit[] {
    if (this.#event < 0) return NONE;
    if (tsDiff(timestamp, this.#timestamp) - this.#duration <= 200 * (SAMPLE_RATE / 1000)) return NONE;
    return this.#takePending(null) ?? NONE;
  }

  /** Reports the event in progress, if any (the stream ends). */
  flush(): readonly DtmfDigit[] {
    return this.#takePending(null) ?? NONE;
  }

  #takePending(out: DtmfDigit[] | null): DtmfDigit[] | null {
    if (this.#event < 0) return out;
    const digit: DtmfDigit = {
      digit: eventToDigit(this.#event)!,
      durationMs: Math.round(this.#duration / (SAMPLE_RATE / 1000)),
      timestamp: this.#timestamp,
      source: 'rfc4733',
    };
    this.#reported.push(this.#timestamp);
    if (this.#reported.length > 8) this.#reported.shift();
    this.#event = -1;
    return out === null ? [digit] : [...out, digit];
  }
}

/**
 * Goertzel block: 102 samples (12.75 ms), the size spandsp uses. Its bins are
 * narrow enough to keep neighbouring DTMF rows apart (697 Hz leaks -23 dB into
 * the 770 Hz filter). Two banks of filters run half a block apart, so a block
 * ends every 51 samples (6.4 ms) and tone edges are timed to that.
 */
export const DTMF_BLOCK = 102;
const HOP = DTMF_BLOCK / 2;
/**
 * A digit needs 5 consecutive blocks, spanning 306 samples (38 ms): a tone of
 * 40 ms or more (ITU-T Q.24: must be accepted) holds 4 whole overlapping
 * blocks and a fifth all but a few samples, while bursts under 30 ms never
 * pass (Q.24: reject below 20-23 ms).
 */
const MIN_BLOCKS = 5;
/** A digit ends after 3 blocks without it, so one disturbed block does not split a digit in two. */
const RELEASE_BLOCKS = 3;
/** Each tone at -36 dBm0 or more (amplitude 361 of 32768). */
const MIN_AMPLITUDE = 32768 * 10 ** ((-36 - 3.14) / 20);
const MIN_POWER = (MIN_AMPLITUDE * DTMF_BLOCK * 0.5) ** 2;
/** Twist (Q.24): the high group may be up to 8 dB above the low group, the low group up to 4 dB above the high. */
const NORMAL_TWIST = 10 ** (8 / 10);
const REVERSE_TWIST = 10 ** (4 / 10);
/** The other frequencies of each group at least 8 dB below its strongest. */
const RELATIVE_PEAK = 10 ** (8 / 10);
/**
 * The two tones carry at least half the block's energy. Speech and music
 * spread theirs over many harmonics, so they fail this long before they
 * could hold two DTMF frequencies for 5 blocks.
 */
const MIN_TONE_SHARE = 0.5;

const DTMF_HZ = [...DTMF_ROW_HZ, ...DTMF_COLUMN_HZ];
const COEFFS = Float64Array.from(DTMF_HZ, (f) => 2 * Math.cos((2 * Math.PI * f) / SAMPLE_RATE));

/** Goertzel power |X(f)|² of samples at frequency f (8 kHz): (A N / 2)² for a sine of amplitude A. */
export function goertzelPower(samples: ArrayLike<number>, frequency: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / SAMPLE_RATE);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i += 1) {
    const s0 = coeff * s1 - s2 + samples[i]!;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/**
 * In-band DTMF (ITU-T Q.23/Q.24) in 8 kHz linear PCM: Goertzel filters on the
 * 8 frequencies over blocks of 102 samples; a block holds a digit when its
 * strongest row and column tones are loud enough (-36 dBm0 each), within the
 * twist limits, 8 dB above the other tones of their group, and carry half the
 * block's energy. A digit is reported once, when it ends, after MIN_BLOCKS
 * consecutive blocks agreed; a single tone, speech or music does not pass
 * those checks.
 */
export class InbandDtmfDetector {
  /** Filter state of both banks: [bank * 8 + k]. */
  readonly #s1 = new Float64Array(16);
  readonly #s2 = new Float64Array(16);
  readonly #energy = new Float64Array(2);
  readonly #power = new Float64Array(8);
  #count = 0;

  /** The digit of the current run of blocks, -1 for none. */
  #digit = -1;
  #firstBlock = 0;
  #lastBlock = 0;
  #blocks = 0;
  #misses = 0;

  /** Samples pushed so far. */
  get samples(): number {
    return this.#count;
  }

  push(samples: Int16Array): readonly DtmfDigit[] {
    let out: DtmfDigit[] | null = null;
    const s1 = this.#s1;
    const s2 = this.#s2;
    const energy = this.#energy;
    for (let i = 0; i < samples.length; i += 1) {
      const x = samples[i]!;
      const sq = x * x;
      energy[0] = energy[0]! + sq;
      energy[1] = energy[1]! + sq;
      for (let k = 0; k < 16; k += 1) {
        const s0 = COEFFS[k & 7]! * s1[k]! - s2[k]! + x;
        s2[k] = s1[k]!;
        s1[k] = s0;
      }
      this.#count += 1;
      if (this.#count % HOP !== 0) continue;
      // Block j covers samples [51 j, 51 j + 102) and belongs to bank j % 2.
      const j = this.#count / HOP - 2;
      const bank = (j + 2) & 1;
      if (j >= 0) {
        const d = this.#endBlock(j, this.#classify(bank));
        if (d !== null) out = out === null ? [d] : [...out, d];
      }
      this.#clear(bank);
    }
    return out ?? NONE;
  }

  /** Reports the digit in progress, if it lasted long enough (the stream ends). */
  flush(): readonly DtmfDigit[] {
    const d = this.#release();
    return d === null ? NONE : [d];
  }

  /** Forgets the digit in progress and the blocks under way. */
  reset(): void {
    this.#clear(0);
    this.#clear(1);
    this.#digit = -1;
  }

  #clear(bank: number): void {
    this.#s1.fill(0, bank * 8, bank * 8 + 8);
    this.#s2.fill(0, bank * 8, bank * 8 + 8);
    this.#energy[bank] = 0;
  }

  #endBlock(block: number, d: number): DtmfDigit | null {
    let out: DtmfDigit | null = null;
    if (d >= 0 && d === this.#digit) {
      this.#blocks += 1;
      this.#lastBlock = block;
      this.#misses = 0;
    } else if (d >= 0) {
      out = this.#release();
      this.#digit = d;
      this.#firstBlock = block;
      this.#lastBlock = block;
      this.#blocks = 1;
      this.#misses = 0;
    } else if (this.#digit >= 0) {
      // Until it counts as a digit the run must be unbroken; after, a few blocks may fail.
      this.#misses += 1;
      if (this.#blocks < MIN_BLOCKS || this.#misses >= RELEASE_BLOCKS) out = this.#release();
    }
    return out;
  }

  #release(): DtmfDigit | null {
    const d = this.#digit;
    this.#digit = -1;
    if (d < 0 || this.#blocks < MIN_BLOCKS) return null;
    const samples = (this.#lastBlock - this.#firstBlock) * HOP + DTMF_BLOCK;
    return {
      digit: KEYPAD[d >> 2]!.charAt(d & 3),
      durationMs: Math.round((samples * 1000) / SAMPLE_RATE),
      timestamp: this.#firstBlock * HOP,
      source: 'inband',
    };
  }

  /** The digit (row * 4 + column) the bank's block holds, or -1. */
  #classify(bank: number): number {
    const p = this.#power;
    for (let k = 0; k < 8; k += 1) {
      const a = this.#s1[bank * 8 + k]!;
      const b = this.#s2[bank * 8 + k]!;
      p[k] = a * a + b * b - COEFFS[k]! * a * b;
    }
    let row = 0;
    let col = 4;
    for (let k = 1; k < 4; k += 1) if (p[k]! > p[row]!) row = k;
    for (let k = 5; k < 8; k += 1) if (p[k]! > p[col]!) col = k;
    const rowP = p[row]!;
    const colP = p[col]!;
    if (rowP < MIN_POWER || colP < MIN_POWER) return -1;
    if (colP > rowP * NORMAL_TWIST || rowP > colP * REVERSE_TWIST) return -1;
    for (let k = 0; k < 8; k += 1) {
      if (k === row || k === col) continue;
      if (p[k]! * RELATIVE_PEAK > (k < 4 ? rowP : colP)) return -1;
    }
    // 2 P / N is the energy a sine of power P puts into the block.
    if ((2 * (rowP + colP)) / DTMF_BLOCK < MIN_TONE_SHARE * this.#energy[bank]!) return -1;
    return row * 4 + (col - 4);
  }
}

export interface DtmfReceiverOptions {
  /** The negotiated telephone-event payload type (default 101). */
  telephoneEventPayloadType?: number;
  /** Also listen for in-band tones in G.711 audio (default true). */
  inband?: boolean;
}

/**
 * The digits a leg sends, by RFC 4733 events or in-band tones, from its RTP
 * packets. Once a stream has sent a telephone-event packet the in-band
 * detector is switched off for it: such phones often send the tones as audio
 * too, and each key must be reported once.
 */
export class DtmfReceiver {
  readonly #pt: number;
  readonly #events = new TelephoneEventDetector();
  readonly #inband: InbandDtmfDetector | null;
  #inbandOn: boolean;
  #pcm = new Int16Array(SAMPLES_PER_FRAME);

  constructor(opts: DtmfReceiverOptions = {}) {
    this.#pt = opts.telephoneEventPayloadType ?? TELEPHONE_EVENT_PAYLOAD_TYPE;
    this.#inbandOn = opts.inband ?? true;
    this.#inband = this.#inbandOn ? new InbandDtmfDetector() : null;
  }

  /** Takes one RTP packet as RtpSession.onPacket gives it; answers the digits it completes. */
  push(packet: Buffer, header: RtpHeader): readonly DtmfDigit[] {
    const pt = header.payloadType;
    const payload = packet.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength);
    if (pt === this.#pt) return this.pushEvent(header, payload);
    if (pt !== 0 && pt !== 8) return NONE;
    if (!this.#inbandOn) return this.#events.expire(header.timestamp);
    if (this.#pcm.length < payload.length) this.#pcm = new Int16Array(payload.length);
    const pcm = this.#pcm.subarray(0, payload.length);
    const toLinear = pt === 0 ? ulawToLinear : alawToLinear;
    for (let i = 0; i < payload.length; i += 1) pcm[i] = toLinear(payload[i]!);
    return this.pushAudio(pcm, header.timestamp);
  }

  /** A telephone-event payload. */
  pushEvent(
    header: Pick<RtpHeader, 'timestamp' | 'ssrc'> & { marker?: boolean },
    payload: Uint8Array,
  ): readonly DtmfDigit[] {
    if (this.#inbandOn) {
      this.#inbandOn = false;
      this.#inband?.reset();
    }
    return this.#events.push(header, payload);
  }

  /** Decoded audio whose first sample has the RTP timestamp `timestamp`. */
  pushAudio(pcm: Int16Array, timestamp: number): readonly DtmfDigit[] {
    const expired = this.#events.expire(timestamp);
    if (!this.#inbandOn || this.#inband === null) return expired;
    const before = this.#inband.samples;
    const found = this.#inband.push(pcm);
    if (found.length === 0) return expired;
    // Detector positions to RTP timestamps, counted back from this packet.
    const digits = found.map((d) => ({ ...d, timestamp: (timestamp + (d.timestamp - before)) >>> 0 }));
    return expired.length === 0 ? digits : [...expired, ...digits];
  }

  /** Digits still in progress (the stream ends). */
  flush(): readonly DtmfDigit[] {
    const inband = this.#inbandOn && this.#inband !== null ? this.#inband.flush() : NONE;
    const events = this.#events.flush();
    return inband.length === 0 ? events : [...events, ...inband];
  }
}

export interface SendDtmfOptions {
  /** Length of the event (default 100 ms); sent in 20 ms steps. */
  durationMs?: number;
  payloadType?: number;
  /** Power level in -dBm0 (RFC 4733 §2.3.4), 0-63; default 10. */
  volume?: number;
  pacer?: MediaPacer;
}

/**
 * Sends one digit as RFC 4733 events: a packet every 20 ms, all with the
 * timestamp of the event start (§2.5.1.1), the marker bit on the first
 * (§2.5.1.2), the duration growing by 160 each time up to durationMs, then
 * the end packet three times (§2.5.1.4). Resolves after the last one.
 * Throws RangeError for a bad digit, duration, payload type or volume.
 */
export function sendDtmf(session: RtpSender, digit: string, opts: SendDtmfOptions = {}): Promise<void> {
  const event = digitToEvent(digit);
  if (event === null) throw new RangeError(`not a DTMF digit: ${JSON.stringify(digit)}`);
  const durationMs = opts.durationMs ?? 100;
  const total = Math.round((durationMs * SAMPLE_RATE) / 1000);
  if (!(total >= 1 && total <= 0xffff)) throw new RangeError(`bad DTMF duration: ${durationMs} ms`);
  const payloadType = opts.payloadType ?? TELEPHONE_EVENT_PAYLOAD_TYPE;
  if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 127) {
    throw new RangeError(`bad payload type: ${payloadType}`);
  }
  const volume = opts.volume ?? 10;
  if (!Number.isInteger(volume) || volume < 0 || volume > 63)
    throw new RangeError(`bad DTMF volume: ${volume}`);
  const pacer = opts.pacer ?? mediaPacer;
  const timeline = RtpTimeline.of(session, () => pacer.now());
  return new Promise<void>((resolve, reject) => {
    let start = -1;
    let ends = 0;
    let sent = 0;
    pacer.stream(timeline, (k, timestamp) => {
      try {
        if (start < 0) {
          start = timestamp;
          // Media after the event goes on from its end.
          timeline.end = Math.max(timeline.end, start + total);
        }
        const duration = Math.min((k + 1) * SAMPLES_PER_FRAME, total);
        const end = duration === total;
        const marker = sent === 0;
        session.sendRtp(payloadType, start, buildTelephoneEvent({ event, end, volume, duration }), marker);
        sent += 1;
        if (end) ends += 1;
        if (ends < 3) return true;
        resolve();
        return false;
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return false;
      }
    });
  });
}
