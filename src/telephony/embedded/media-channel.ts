/**
 * The media side of one leg of the embedded engine: the one packet listener
 * of its RTP session, fanning each received packet out to what uses it now
 * (the bridge relay, a recording, DTMF listeners), and the playback and
 * digits it sends. So a call can be bridged and watched for digits at once,
 * and a recording or a DTMF listener comes and goes without undoing the
 * other.
 */
import fs from 'node:fs/promises';
import type {
  DtmfEvent,
  PlayEnd,
  PlayHandle,
  RecordedMedia,
  RecordHandle,
  RecordOptions,
  RecordResult,
} from '../adapter.js';
import { DtmfReceiver, dtmfTone, sendDtmf } from './media/dtmf.js';
import type { AudioSource, Player } from './media/player.js';
import { record } from './media/recorder.js';
import { WavStreamWriter } from './media/wav.js';
import type { RtpHeader } from './rtp/packet.js';
import type { RtpPacketListener, RtpSession } from './rtp/session.js';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear, type G711Codec } from './rtp/g711.js';
import { TELEPHONE_EVENT, type SdpCodec } from './sip/sdp.js';

/** How often a recording's settled samples go to disk, and how far behind its end they stay (late packets). */
const FLUSH_MS = 1000;
const SETTLE_MS = 1000;

/** A packet listener slot with the RtpSession shape the recorder takes over and restores. */
class Tap {
  listener: RtpPacketListener | null = null;
  onPacket(cb: RtpPacketListener | null): void {
    this.listener = cb;
  }
  get packetListener(): RtpPacketListener | null {
    return this.listener;
  }
}

/** The playback and the recording of a leg without media (or whose media is gone). */
export const NO_PLAYBACK: PlayHandle = { done: Promise.resolve('stopped'), stop: () => undefined };
export const NO_RECORDING: RecordHandle = {
  done: Promise.resolve({ durationMs: 0, silenceOnly: true, reason: 'hangup', media: null }),
  stop: () => undefined,
};

/** A recording of the embedded engine: a WAV file on this machine. */
class RecordedFile implements RecordedMedia {
  readonly location;
  constructor(readonly path: string) {
    this.location = { kind: 'file', path } as const;
  }
  async discard(): Promise<void> {
    await fs.rm(this.path, { force: true });
  }
}

/** What a channel plays: the player's sources (media references already resolved to files). */
export interface ChannelPlayOptions {
  loop?: boolean;
  mix?: readonly AudioSource[];
}

export interface MediaFormat {
  codec: G711Codec;
  payloadType: number;
  /** The negotiated telephone-event payload type, null when none was agreed. */
  telephoneEvent: number | null;
}

/** The first G.711 codec of a negotiated list, and its telephone-event type. */
export function mediaFormat(codecs: readonly SdpCodec[] | null): MediaFormat {
  const audio = codecs?.find((c) => c.name === 'PCMU' || c.name === 'PCMA');
  const te = codecs?.find((c) => c.name === TELEPHONE_EVENT);
  return {
    codec: (audio?.name as G711Codec | undefined) ?? 'PCMU',
    payloadType: audio?.payloadType ?? 0,
    telephoneEvent: te?.payloadType ?? null,
  };
}

export class MediaChannel {
  #relay: RtpSession | null = null;
  #transform: PacketTransform | null = null;
  readonly #taps = new Set<Tap>();
  readonly #dtmfListeners = new Set<(d: DtmfEvent) => void>();
  #dtmf: DtmfReceiver | null = null;
  #playback: { handle: PlayHandle; end: (e: PlayEnd) => void } | null = null;
  readonly #recordings = new Set<() => void>();
  #closed = false;

  constructor(
    readonly session: RtpSession,
    /** The leg's negotiated codecs, read at each use (they are known only after the answer). */
    private readonly codecs: () => readonly SdpCodec[] | null,
    private readonly player: Player,
  ) {
    session.onPacket(this.#onPacket);
  }

  readonly #onPacket = (packet: Buffer, header: RtpHeader): void => {
    if (this.#relay !== null) {
      if (this.#transform === null) this.#relay.send(packet);
      else {
        const out = this.#transform(packet, header);
        if (out !== null) this.#relay.send(out);
      }
    }
    if (this.#taps.size > 0) for (const t of this.#taps) t.listener?.(packet, header);
    if (this.#dtmf !== null) {
      const digits = this.#dtmf.push(packet, header);
      for (const d of digits) this.#emitDigit({ digit: d.digit, durationMs: d.durationMs, source: d.source });
    }
  };

  get format(): MediaFormat {
    return mediaFormat(this.codecs());
  }

  /**
   * Sends what this leg receives out of `to` (the bridge): unchanged, or
   * through `transform` (null drops the packet); null stops.
   */
  relayTo(to: RtpSession | null, transform: PacketTransform | null = null): void {
    this.#relay = to;
    this.#transform = transform;
  }

  get relaying(): RtpSession | null {
    return this.#relay;
  }

  play(sources: readonly AudioSource[], opts: ChannelPlayOptions = {}): PlayHandle {
    if (this.#closed) return NO_PLAYBACK;
    this.#playback?.handle.stop();
    const f = this.format;
    const inner = this.player.play(this.session, sources, {
      codec: f.codec,
      payloadType: f.payloadType,
      ...(opts.loop !== undefined ? { loop: opts.loop } : {}),
      ...(opts.mix !== undefined ? { mix: opts.mix } : {}),
    });
    let end!: (e: PlayEnd) => void;
    const done = new Promise<PlayEnd>((resolve) => (end = resolve));
    const entry = { handle: { done, stop: () => inner.stop() }, end };
    this.#playback = entry;
    inner.done.then(
      (e) => end(e),
      () => end('failed'),
    );
    void done.then(() => {
      if (this.#playback === entry) this.#playback = null;
    });
    return entry.handle;
  }

  /** Records into `file` (a WAV, written when the recording ends and holds anything). */
  record(opts: RecordOptions & { file: string }): RecordHandle {
    if (this.#closed) return NO_RECORDING;
    const tap = new Tap();
    this.#taps.add(tap);
    const stopDigits = opts.stopDigits ?? '';
    const f = this.format;
    const rec = record(tap, {
      codec: f.codec,
      maxSeconds: opts.maxSeconds,
      ...(opts.silenceSeconds !== undefined ? { silenceSeconds: opts.silenceSeconds } : {}),
      ...(f.telephoneEvent !== null ? { telephoneEventPayloadType: f.telephoneEvent } : {}),
      ...(stopDigits !== '' ? { onDtmf: (d) => stopDigits.includes(d.digit) } : {}),
    });
    let hungUp = false;
    const stopOnClose = () => {
      hungUp = true;
      rec.stop();
    };
    this.#recordings.add(stopOnClose);
    // Written to disk as it arrives: a crash leaves what was said up to about a second before it.
    const writer = WavStreamWriter.create(opts.file).catch((err: unknown) => {
      process.emitWarning(`recording not written to ${opts.file}: ${(err as Error).message}`);
      return null;
    });
    const flush = setInterval(() => {
      void writer.then((w) => w?.append(rec.settled(w.samples, SETTLE_MS)));
    }, FLUSH_MS);
    const done = rec.done.then(async (r): Promise<RecordResult> => {
      clearInterval(flush);
      this.#taps.delete(tap);
      this.#recordings.delete(stopOnClose);
      const w = await writer;
      let media: RecordedMedia | null = null;
      try {
        if (w && r.samples.length > 0) {
          await w.finish(r.samples.length, r.samples.subarray(Math.min(w.samples, r.samples.length)));
          media = new RecordedFile(opts.file);
        } else await w?.discard();
      } catch (err) {
        process.emitWarning(`recording not written to ${opts.file}: ${(err as Error).message}`);
        await w?.discard().catch(() => undefined);
      }
      return {
        durationMs: r.durationMs,
        silenceOnly: r.silenceOnly,
        reason: hungUp ? 'hangup' : r.reason,
        media,
      };
    });
    return { done, stop: () => rec.stop(), location: { kind: 'file', path: opts.file } };
  }

  /**
   * Every packet the leg receives from now on (a conference member, a tone
   * detector), beside the relay, recordings and DTMF; answers the stop.
   */
  listen(listener: RtpPacketListener): () => void {
    if (this.#closed) return () => undefined;
    const tap = new Tap();
    tap.onPacket(listener);
    this.#taps.add(tap);
    return () => {
      this.#taps.delete(tap);
    };
  }

  /** listen() under the name the fax code uses. */
  tap(listener: RtpPacketListener): () => void {
    return this.listen(listener);
  }

  /** Stops what plays into the leg now (a conference or a fax takes its stream over). */
  stopPlayback(): void {
    this.#playback?.handle.stop();
  }

  onDtmf(listener: (d: DtmfEvent) => void): () => void {
    if (this.#closed) return () => undefined;
    this.#dtmfListeners.add(listener);
    if (this.#dtmf === null) {
      const te = this.format.telephoneEvent;
      this.#dtmf = new DtmfReceiver(te !== null ? { telephoneEventPayloadType: te } : {});
    }
    return () => {
      this.#dtmfListeners.delete(listener);
      if (this.#dtmfListeners.size === 0) this.#dtmf = null;
    };
  }

  /** A digit that came by signalling (SIP INFO). */
  injectDigit(d: DtmfEvent): void {
    this.#emitDigit(d);
  }

  #emitDigit(d: DtmfEvent): void {
    for (const l of [...this.#dtmfListeners]) {
      try {
        l(d);
      } catch (err) {
        process.emitWarning(`DTMF listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** RFC 4733 events when telephone-event was agreed, else the digits' tones in-band. */
  async sendDigits(digits: string, opts: { durationMs?: number; pauseMs?: number } = {}): Promise<void> {
    const durationMs = opts.durationMs ?? 100;
    const pauseMs = opts.pauseMs ?? 100;
    const te = this.format.telephoneEvent;
    for (const digit of digits) {
      if (this.#closed) return;
      if (te !== null) {
        await sendDtmf(this.session, digit, { durationMs, payloadType: te });
        if (pauseMs > 0) await this.play([{ kind: 'silence', durationMs: pauseMs }]).done;
      } else {
        await this.play([dtmfTone(digit, durationMs, pauseMs)]).done;
      }
    }
  }

  /** The session is going: playback and recordings end, listeners are dropped. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#playback?.handle.stop();
    for (const stop of [...this.#recordings]) stop();
    this.#relay = null;
    this.#dtmfListeners.clear();
    this.#dtmf = null;
  }
}

/** Rewrites a relayed packet for the other leg's format; null drops it. */
export type PacketTransform = (packet: Buffer, header: RtpHeader) => Buffer | null;

export const ULAW_TO_ALAW = new Uint8Array(256).map((_, code) => linearToAlaw(ulawToLinear(code)));
export const ALAW_TO_ULAW = new Uint8Array(256).map((_, code) => linearToUlaw(alawToLinear(code)));

/**
 * The packet rewrite from one leg's agreed format to the other's, or null
 * when they agree (the relay then passes packets byte for byte): G.711
 * payloads converted between µ-law and A-law by table, payload types
 * renumbered, RFC 4733 events passed under the other leg's event type
 * (dropped when it agreed none), anything else dropped. Sequence numbers,
 * timestamps and SSRC stay, so the far end sees one continuous stream.
 */
export function formatTransform(from: MediaFormat, to: MediaFormat): PacketTransform | null {
  if (
    from.codec === to.codec &&
    from.payloadType === to.payloadType &&
    from.telephoneEvent === to.telephoneEvent
  )
    return null;
  const table = from.codec === to.codec ? null : from.codec === 'PCMU' ? ULAW_TO_ALAW : ALAW_TO_ULAW;
  return (packet, header) => {
    let pt: number;
    if (header.payloadType === from.payloadType) pt = to.payloadType;
    else if (from.telephoneEvent !== null && header.payloadType === from.telephoneEvent) {
      if (to.telephoneEvent === null) return null;
      pt = to.telephoneEvent;
    } else return null;
    const out = Buffer.from(packet);
    out[1] = (out[1]! & 0x80) | pt;
    if (table !== null && pt === to.payloadType) {
      const end = header.payloadOffset + header.payloadLength;
      for (let i = header.payloadOffset; i < end; i++) out[i] = table[out[i]!]!;
    }
    return out;
  };
}

/**
 * Anchors media between two legs: every packet one channel accepts goes out
 * of the other's session. When both legs agreed the same format (the
 * adapter offers and answers a call's legs alike, so this is the rule) the
 * received Buffer itself is sent on, byte for byte (payload type, SSRC,
 * sequence, timestamps and RFC 4733 events unchanged), so the B2BUA stays
 * transparent; otherwise formatTransform converts. The answer undoes the
 * bridge (and leaves alone a relay set since).
 */
export function bridgeChannels(a: MediaChannel, b: MediaChannel): () => void {
  if (a === b || a.session === b.session) throw new Error('cannot bridge a leg to itself');
  a.relayTo(b.session, formatTransform(a.format, b.format));
  b.relayTo(a.session, formatTransform(b.format, a.format));
  let bridged = true;
  return () => {
    if (!bridged) return;
    bridged = false;
    if (a.relaying === b.session) a.relayTo(null);
    if (b.relaying === a.session) b.relayTo(null);
  };
}
