/**
 * The media port of the embedded engine: every leg's RTP session gets a
 * media channel (media-channel.ts) at its first media use; bridges relay
 * between channels, prompts play from the files media references resolve
 * to (MediaLocator), recordings are written to this node's scratch folder.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  MediaError,
  type Bridge,
  type DetectableTone,
  type DtmfEvent,
  type FaxHandle,
  type FaxOptions,
  type Leg,
  type MediaPort,
  type MediaStats,
  type PlayEnd,
  type PlayHandle,
  type PlayOptions,
  type PromptSource,
  type RecordHandle,
  type RecordOptions,
} from '../adapter.js';
import { type MediaLocator } from '../environment.js';
import { deviceLeg } from './account-leg.js';
import { LineFax } from './fax/line-fax.js';
import { LegBase } from './leg-base.js';
import { bridgeChannels, MediaChannel, NO_PLAYBACK, NO_RECORDING } from './media-channel.js';
import { detectFaxCng } from './media-conference.js';
import { Player, type AudioSource } from './media/player.js';

/** A media reference that resolves to nothing plays as a file that is not there: the playback ends 'failed'. */
const MISSING: AudioSource = { kind: 'file', path: '/nonexistent/callplane-missing-media.wav' };

export class EmbeddedMedia implements MediaPort {
  /** Prompts decoded once and shared by every call. */
  readonly player = new Player();
  /** The playback each leg has now (a new one stops it), including one still resolving its media. */
  private readonly current = new WeakMap<LegBase, { stop(): void }>();

  constructor(
    private readonly locator: MediaLocator,
    /** Where recordings are written until the platform takes them over. */
    private readonly scratchDir: string,
  ) {}

  /** The leg whose RTP carries `leg`'s media (an account call's answering device). */
  private static mediaLeg(leg: Leg): LegBase | null {
    const l = deviceLeg(leg);
    return l instanceof LegBase ? l : null;
  }

  /** The leg's media fan-out, made at its first use (null: no media endpoint). */
  channel(leg: Leg): MediaChannel | null {
    const l = EmbeddedMedia.mediaLeg(leg);
    if (!l?.rtp) return null;
    if (l.channel?.session !== l.rtp) {
      l.channel?.close();
      l.channel = new MediaChannel(l.rtp, () => l.codecs, this.player);
    }
    return l.channel;
  }

  async bridge(a: Leg, b: Leg): Promise<Bridge> {
    const ca = this.channel(a);
    const cb = this.channel(b);
    if (!ca || !cb) throw new MediaError(`leg ${ca ? b.id : a.id} has no media to bridge`);
    if (ca === cb) throw new MediaError('a leg cannot be bridged to itself');
    // A playback would compete with the relay for the far end's stream.
    this.current.get(EmbeddedMedia.mediaLeg(a)!)?.stop();
    this.current.get(EmbeddedMedia.mediaLeg(b)!)?.stop();
    const stop = bridgeChannels(ca, cb);
    return { unbridge: async () => stop() };
  }

  play(leg: Leg, sources: readonly PromptSource[], opts: PlayOptions = {}): PlayHandle {
    const l = EmbeddedMedia.mediaLeg(leg);
    const channel = this.channel(leg);
    if (!l || !channel) return NO_PLAYBACK;
    this.current.get(l)?.stop();
    const refs = [...sources, ...(opts.mix ?? [])].some((s) => s.kind === 'media');
    if (!refs) {
      const h = channel.play(sources as readonly AudioSource[], {
        ...(opts.loop !== undefined ? { loop: opts.loop } : {}),
        ...(opts.mix !== undefined ? { mix: opts.mix as readonly AudioSource[] } : {}),
      });
      this.track(l, h);
      return h;
    }
    // Media references resolve first; a stop() meanwhile ends it before it starts.
    let inner: PlayHandle | null = null;
    let stopped = false;
    let end!: (e: PlayEnd) => void;
    const done = new Promise<PlayEnd>((r) => (end = r));
    const handle: PlayHandle = {
      done,
      stop: () => {
        stopped = true;
        if (inner) inner.stop();
        else end('stopped');
      },
    };
    this.track(l, handle);
    void Promise.all([this.resolve(sources), this.resolve(opts.mix ?? [])]).then(
      ([main, mix]) => {
        if (stopped || this.current.get(l) !== handle) {
          end('stopped');
          return;
        }
        inner = channel.play(main, {
          ...(opts.loop !== undefined ? { loop: opts.loop } : {}),
          ...(opts.mix !== undefined ? { mix } : {}),
        });
        void inner.done.then(end);
      },
      () => end('failed'),
    );
    return handle;
  }

  private track(l: LegBase, h: PlayHandle): void {
    this.current.set(l, h);
    void h.done.then(() => {
      if (this.current.get(l) === h) this.current.delete(l);
    });
  }

  private async resolve(sources: readonly PromptSource[]): Promise<AudioSource[]> {
    const out: AudioSource[] = [];
    for (const s of sources) {
      if (s.kind !== 'media') {
        out.push(s);
        continue;
      }
      const loc = await this.locator.locate(s.ref);
      out.push(loc?.kind === 'file' ? { kind: 'file', path: loc.path } : MISSING);
    }
    return out;
  }

  record(leg: Leg, opts: RecordOptions): RecordHandle {
    const channel = this.channel(leg);
    if (!channel) return NO_RECORDING;
    const file = path.join(this.scratchDir, `${Date.now()}-${randomBytes(6).toString('hex')}.wav`);
    return channel.record({ ...opts, file });
  }

  onDtmf(leg: Leg, listener: (d: DtmfEvent) => void): () => void {
    return this.channel(leg)?.onDtmf(listener) ?? (() => undefined);
  }

  async sendDtmf(leg: Leg, digits: string, opts?: { durationMs?: number; pauseMs?: number }): Promise<void> {
    await this.channel(leg)?.sendDigits(digits, opts);
  }

  fax(leg: Leg, opts: FaxOptions): FaxHandle {
    const l = EmbeddedMedia.mediaLeg(leg);
    const channel = this.channel(leg);
    if (!l || !channel || l.state !== 'answered')
      throw new MediaError(`leg ${leg.id} has no media for a fax`);
    this.current.get(l)?.stop();
    let fax: LineFax;
    try {
      fax = new LineFax(l, channel, l.faxSignaling(), opts);
    } catch (err) {
      throw new MediaError(`no fax on leg ${leg.id}: ${(err as Error).message}`);
    }
    fax.start().catch(() => fax.stop());
    return fax;
  }

  onTone(leg: Leg, tone: DetectableTone, listener: () => void): () => void {
    const channel = this.channel(leg);
    if (!channel || tone !== 'fax-cng') return () => undefined;
    try {
      return detectFaxCng(channel, listener);
    } catch {
      return () => undefined; // no fax stack on this node: nothing to hear
    }
  }

  stats(leg: Leg): Promise<MediaStats | null> {
    const s = EmbeddedMedia.mediaLeg(leg)?.rtp?.stats;
    return Promise.resolve(s ? { packetsIn: s.packetsIn, packetsOut: s.packetsOut, lost: s.lost } : null);
  }
}
