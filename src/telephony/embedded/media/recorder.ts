import { alawToLinear, ulawToLinear, type G711Codec } from '../rtp/g711.js';
import type { RtpHeader } from '../rtp/packet.js';
import type { RtpPacketListener, RtpSession } from '../rtp/session.js';
import { DtmfReceiver, TELEPHONE_EVENT_PAYLOAD_TYPE, type DtmfDigit } from './dtmf.js';
import { mediaPacer, SAMPLE_RATE, type MediaPacer } from './pacer.js';

/** What a recording needs of a session: RtpSession, or a packet source in tests. */
export type RtpReceiver = Pick<RtpSession, 'onPacket' | 'packetListener'>;

export interface RecordOptions {
  /**
   * The codec the leg negotiated. Payloads are decoded by their own payload
   * type all the same (0 PCMU, 8 PCMA), should the phone switch laws.
   */
  codec: G711Codec;
  maxSeconds: number;
  /** Ends the recording after this much silence once speech has started. */
  silenceSeconds?: number;
  /**
   * A 20 ms packet is speech above this RMS level (default -45 dBFS, the
   * media worker's SILENCE.activeDbfs: above line and comfort noise, below
   * quiet speech).
   */
  silenceThresholdDbfs?: number;
  telephoneEventPayloadType?: number;
  /** Also detect in-band DTMF tones (default true; only with onDtmf). */
  inbandDtmf?: boolean;
  /**
   * Each digit the caller sends. Answering true ends the recording (reason
   * 'dtmf'), cut where the digit began, so the key's tone is not in it.
   */
  onDtmf?: (digit: DtmfDigit) => boolean | void;
  pacer?: MediaPacer;
}

export type RecordingEnd = 'max' | 'silence' | 'stopped' | 'dtmf';

export interface Recording {
  /** 8 kHz linear PCM; lost packets and silence-suppressed spans are zeros. */
  samples: Int16Array;
  durationMs: number;
  /** Nothing above the silence threshold was recorded. */
  silenceOnly: boolean;
  reason: RecordingEnd;
}

export interface RecordingHandle {
  /** Ends the recording now (reason 'stopped'); idempotent. */
  stop(): void;
  /**
   * The samples from `from` up to `keepMs` before the recording's end: the
   * part late packets can no longer change, to write to disk as it grows.
   */
  settled(from: number, keepMs: number): Int16Array;
  /** Never rejects. */
  readonly done: Promise<Recording>;
}

/** A timestamp more than this far behind the recording, or ahead of it and the wall clock, is a restarted clock. */
const TIMESTAMP_JUMP = 2 * SAMPLE_RATE;
/** Late packets may still fill a gap left by loss this long (the most recent gaps are remembered). */
const MAX_GAPS = 64;
/** Wall-clock ends (no packets arriving) allow for this much jitter beyond the media's own. */
const WALL_GRACE_MS = 250;
const INITIAL_SECONDS = 10;

function tsDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/**
 * Records what a leg sends into linear PCM, placing every packet by its RTP
 * timestamp: a lost packet leaves 20 ms of zeros instead of shortening the
 * recording, a packet arriving late still fills its gap, duplicates and
 * packets from before the start are dropped, and a new SSRC (or a restarted
 * clock) carries on where the recording stands.
 *
 * It becomes the packet listener of `session` (RtpSession.onPacket, or a
 * MediaChannel tap, which lets a call be bridged while it records) until it
 * ends, then puts back the listener it found, unless another was set
 * meanwhile.
 *
 * It ends at maxSeconds of media (or of wall clock when packets stop), after
 * silenceSeconds of silence once speech started (by media, or by wall clock
 * when the phone stops sending), on a digit onDtmf accepts, or on stop().
 */
export function record(session: RtpReceiver, opts: RecordOptions): RecordingHandle {
  if (opts.codec !== 'PCMU' && opts.codec !== 'PCMA')
    throw new RangeError(`bad codec: ${String(opts.codec)}`);
  if (!(opts.maxSeconds > 0 && opts.maxSeconds <= 4 * 3600)) {
    throw new RangeError(`bad maxSeconds: ${opts.maxSeconds}`);
  }
  if (
    opts.silenceSeconds !== undefined &&
    !(opts.silenceSeconds > 0 && Number.isFinite(opts.silenceSeconds))
  ) {
    throw new RangeError(`bad silenceSeconds: ${opts.silenceSeconds}`);
  }
  return new Recorder(session, opts);
}

class Recorder implements RecordingHandle {
  readonly done: Promise<Recording>;

  readonly #session: RtpReceiver;
  readonly #previous: RtpPacketListener | null;
  readonly #pacer: MediaPacer;
  readonly #unsubscribe: () => void;
  readonly #maxSamples: number;
  readonly #silenceSamples: number;
  readonly #loudSquare: number;
  readonly #tePt: number;
  readonly #onDtmf: RecordOptions['onDtmf'];
  readonly #dtmf: DtmfReceiver | null;
  readonly #startMs: number;
  readonly #maxMs: number;
  readonly #silenceMs: number;
  #resolve!: (r: Recording) => void;
  #ended = false;

  #buf: Int16Array;
  /** Samples recorded (gaps included). */
  #end = 0;
  #started = false;
  #ssrc = 0;
  /** The timestamp of sample 0 of the recording. */
  #base = 0;
  #firstPacketMs = 0;
  readonly #gaps: [number, number][] = [];
  #firstLoud = Infinity;
  #lastLoudEnd = 0;
  #lastLoudMs = 0;

  constructor(session: RtpReceiver, opts: RecordOptions) {
    this.done = new Promise((resolve) => (this.#resolve = resolve));
    this.#session = session;
    this.#pacer = opts.pacer ?? mediaPacer;
    this.#maxSamples = Math.round(opts.maxSeconds * SAMPLE_RATE);
    this.#silenceSamples =
      opts.silenceSeconds === undefined ? Infinity : Math.round(opts.silenceSeconds * SAMPLE_RATE);
    this.#loudSquare = (32768 * 10 ** ((opts.silenceThresholdDbfs ?? -45) / 20)) ** 2;
    this.#tePt = opts.telephoneEventPayloadType ?? TELEPHONE_EVENT_PAYLOAD_TYPE;
    this.#onDtmf = opts.onDtmf;
    this.#dtmf =
      opts.onDtmf === undefined
        ? null
        : new DtmfReceiver({ telephoneEventPayloadType: this.#tePt, inband: opts.inbandDtmf ?? true });
    this.#buf = new Int16Array(Math.min(this.#maxSamples, INITIAL_SECONDS * SAMPLE_RATE));
    this.#startMs = this.#pacer.now();
    this.#maxMs = opts.maxSeconds * 1000 + WALL_GRACE_MS;
    this.#silenceMs = (opts.silenceSeconds ?? Infinity) * 1000 + WALL_GRACE_MS;
    this.#previous = session.packetListener;
    session.onPacket(this.#onPacket);
    this.#unsubscribe = this.#pacer.subscribe(this.#onFrame);
  }

  stop(): void {
    this.#finish('stopped');
  }

  settled(from: number, keepMs: number): Int16Array {
    const upTo = Math.max(from, this.#end - Math.round((keepMs * SAMPLE_RATE) / 1000));
    return this.#buf.slice(from, upTo);
  }

  /** The wall-clock ends, checked on the shared 20 ms clock. */
  readonly #onFrame = (): void => {
    const now = this.#pacer.now();
    const origin = this.#started ? this.#firstPacketMs : this.#startMs;
    if (now - origin >= this.#maxMs) this.#finish('max');
    else if (this.#firstLoud !== Infinity && now - this.#lastLoudMs >= this.#silenceMs)
      this.#finish('silence');
  };

  readonly #onPacket: RtpPacketListener = (packet: Buffer, h: RtpHeader): void => {
    if (this.#ended) return;
    const pt = h.payloadType;
    if (pt === this.#tePt) {
      if (this.#dtmf !== null) {
        const payload = packet.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength);
        this.#digits(this.#dtmf.pushEvent(h, payload));
      }
      return;
    }
    if ((pt !== 0 && pt !== 8) || h.payloadLength === 0) return;
    const now = this.#pacer.now();
    const len = h.payloadLength;
    if (!this.#started) {
      this.#started = true;
      this.#ssrc = h.ssrc;
      this.#base = h.timestamp;
      this.#firstPacketMs = now;
    } else if (h.ssrc !== this.#ssrc) {
      this.#ssrc = h.ssrc;
      this.#base = (h.timestamp - this.#end) >>> 0;
    }
    let offset = tsDiff(h.timestamp, this.#base);
    const wallPos = ((now - this.#firstPacketMs) * SAMPLE_RATE) / 1000;
    if (offset < this.#end - TIMESTAMP_JUMP || offset > Math.max(this.#end, wallPos) + TIMESTAMP_JUMP) {
      this.#base = (h.timestamp - this.#end) >>> 0;
      offset = this.#end;
    }
    if (offset < this.#end && !this.#fillsGap(offset, len)) return; // a duplicate, or late for good
    if (offset >= this.#maxSamples) return this.#finish('max');
    const n = Math.min(len, this.#maxSamples - offset);
    if (offset > this.#end) this.#gap(this.#end, offset);
    this.#reserve(offset + n);
    const buf = this.#buf;
    const toLinear = pt === 0 ? ulawToLinear : alawToLinear;
    const at = h.payloadOffset;
    let sum = 0;
    for (let i = 0; i < n; i += 1) {
      const s = toLinear(packet[at + i]!);
      buf[offset + i] = s;
      sum += s * s;
    }
    if (offset + n > this.#end) this.#end = offset + n;
    if (n > 0 && sum / n > this.#loudSquare) {
      if (offset < this.#firstLoud) this.#firstLoud = offset;
      if (offset + n > this.#lastLoudEnd) this.#lastLoudEnd = offset + n;
      this.#lastLoudMs = now;
    }
    if (this.#dtmf !== null) {
      this.#digits(this.#dtmf.pushAudio(buf.subarray(offset, offset + n), h.timestamp));
      if (this.#ended) return;
    }
    if (this.#end >= this.#maxSamples) this.#finish('max');
    else if (this.#firstLoud !== Infinity && this.#end - this.#lastLoudEnd >= this.#silenceSamples) {
      this.#finish('silence');
    }
  };

  #digits(digits: readonly DtmfDigit[]): void {
    for (const d of digits) {
      if (this.#ended) return;
      let stop: boolean | void = false;
      try {
        stop = this.#onDtmf?.(d);
      } catch {
        // A failing callback must not end the caller's recording or the engine.
      }
      if (stop === true) {
        const at = this.#started ? tsDiff(d.timestamp, this.#base) : 0;
        if (at >= 0 && at < this.#end) this.#end = at;
        this.#finish('dtmf');
      }
    }
  }

  /** A late packet inside a remembered gap: it goes in, and the gap shrinks. */
  #fillsGap(offset: number, len: number): boolean {
    const gaps = this.#gaps;
    for (let i = gaps.length - 1; i >= 0; i -= 1) {
      const [start, end] = gaps[i]!;
      if (offset < start || offset + len > end) continue;
      const parts: [number, number][] = [];
      if (offset > start) parts.push([start, offset]);
      if (offset + len < end) parts.push([offset + len, end]);
      gaps.splice(i, 1, ...parts);
      return true;
    }
    return false;
  }

  #gap(start: number, end: number): void {
    this.#gaps.push([start, end]);
    if (this.#gaps.length > MAX_GAPS) this.#gaps.shift();
  }

  #reserve(n: number): void {
    if (n <= this.#buf.length) return;
    const grown = new Int16Array(Math.min(this.#maxSamples, Math.max(n, 2 * this.#buf.length)));
    grown.set(this.#buf.subarray(0, this.#end));
    this.#buf = grown;
  }

  #finish(reason: RecordingEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#unsubscribe();
    if (this.#session.packetListener === this.#onPacket) this.#session.onPacket(this.#previous);
    const samples = this.#buf.slice(0, this.#end);
    this.#resolve({
      samples,
      durationMs: (samples.length * 1000) / SAMPLE_RATE,
      silenceOnly: !(this.#firstLoud < this.#end),
      reason,
    });
  }
}
