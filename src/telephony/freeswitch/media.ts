/**
 * Media of the drachtio + FreeSWITCH adapter: every operation of the
 * MediaPort done by FreeSWITCH on the leg's channel (an fsmrf Endpoint):
 * uuid_bridge, playback of files and tone_stream/silence_stream, record,
 * DTMF events and uuid_send_dtmf, tone_detect for the fax calling tone,
 * and mod_spandsp's rxfax/txfax with T.38. Stopping goes through the API
 * (uuid_break), never the channel's application queue.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type Mrf from 'drachtio-fsmrf';
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
  type RecordResult,
} from '../adapter.js';
import { type MediaLocator } from '../environment.js';
import { deviceLeg } from '../embedded/account-leg.js';
import { parseWav } from '../embedded/media/wav.js';
import { breakChannel, execute } from './channel.js';
import { FsFax } from './fax.js';
import { FsLeg } from './legs.js';

const NO_PLAYBACK: PlayHandle = { done: Promise.resolve('stopped'), stop: () => undefined };

/** The FreeSWITCH channel carrying a leg's media (an account call's answering device's). */
export function endpointOf(leg: Leg): Mrf.Endpoint | null {
  const l = deviceLeg(leg);
  return l instanceof FsLeg && l.state !== 'ended' ? l.ep : null;
}

/** A tone as FreeSWITCH's tone_stream plays it (TGML: %(on,off,freqs), loops, volume). */
export function toneStream(t: Extract<PromptSource, { kind: 'tone' }>, loop: boolean): string {
  const freqs = t.frequencies;
  if (freqs.length < 1 || freqs.length > 4 || freqs.some((f) => !(f > 0 && f < 4000)))
    throw new RangeError(`bad tone frequencies: ${freqs.join(', ')}`);
  if (!(t.durationMs > 0) || !((t.intervalMs ?? 0) >= 0)) throw new RangeError('bad tone duration');
  const level = t.levelDbm0 !== undefined ? `v=${Math.round(t.levelDbm0)};` : '';
  const loops = loop || t.loop ? ';loops=-1' : '';
  return `tone_stream://${level}%(${Math.round(t.durationMs)},${Math.round(t.intervalMs ?? 0)},${freqs.map((f) => Math.round(f)).join(',')})${loops}`;
}

/** DTMF-Source of FreeSWITCH's DTMF event, in the port's words. */
function dtmfSource(s: string | undefined): DtmfEvent['source'] {
  if (s === 'INBAND_AUDIO') return 'inband';
  if (s === 'ENDPOINT') return 'info';
  return 'rfc4733';
}

/** Speech: a 20 ms window above -45 dBFS (the media worker's SILENCE.activeDbfs, and the embedded recorder's). */
const SILENCE = { windowSeconds: 0.02, activeDbfs: -45 } as const;

/** Whether a recording holds speech: a 20 ms window above the silence level. */
export function holdsSpeech(samples: Int16Array): boolean {
  const win = Math.round(8000 * SILENCE.windowSeconds);
  const threshold = 32768 * 10 ** (SILENCE.activeDbfs / 20);
  for (let i = 0; i + win <= samples.length; i += win) {
    let sum = 0;
    for (let j = i; j < i + win; j++) sum += samples[j]! * samples[j]!;
    if (Math.sqrt(sum / win) > threshold) return true;
  }
  return false;
}

export class FsMedia implements MediaPort {
  /** The playback each channel has now: a new one stops it. */
  private readonly playing = new Map<string, { stop(): void }>();

  constructor(
    private readonly locator: MediaLocator,
    /** Where recordings and fax documents go; FreeSWITCH must be able to write there. */
    private readonly scratchDir: string,
  ) {}

  private need(leg: Leg, what: string): Mrf.Endpoint {
    const ep = endpointOf(leg);
    if (!ep) throw new MediaError(`leg ${leg.id} has no media to ${what}`);
    return ep;
  }

  async bridge(a: Leg, b: Leg): Promise<Bridge> {
    const ea = this.need(a, 'bridge');
    const eb = this.need(b, 'bridge');
    if (ea === eb) throw new MediaError('a leg cannot be bridged to itself');
    this.playing.get(ea.uuid)?.stop();
    this.playing.get(eb.uuid)?.stop();
    try {
      await ea.bridge(eb);
    } catch (err) {
      throw new MediaError(`FreeSWITCH refused the bridge: ${(err as Error).message}`);
    }
    let done = false;
    return {
      unbridge: async () => {
        if (done) return;
        done = true;
        if (endpointOf(a) && endpointOf(b)) await ea.unbridge().catch(() => undefined);
      },
    };
  }

  /**
   * FreeSWITCH's RTP counters of the channel: `uuid_set_media_stats` copies
   * them into its variables (otherwise set at hang-up only), then one
   * `uuid_dump` reads them (rtp_audio_in_packet_count, _out_packet_count;
   * lost: the packets its jitter buffer counted as flaws).
   */
  async stats(leg: Leg): Promise<MediaStats | null> {
    const ep = endpointOf(leg);
    if (!ep) return null;
    try {
      await ep.api('uuid_set_media_stats', ep.uuid);
      const dump = (await ep.api('uuid_dump', `${ep.uuid} json`)) as { getBody?: () => string } | undefined;
      const vars = JSON.parse(dump?.getBody?.() ?? '{}') as Record<string, string | undefined>;
      const n = (name: string): number => Number(vars[`variable_rtp_audio_${name}`] ?? 0) || 0;
      return { packetsIn: n('in_packet_count'), packetsOut: n('out_packet_count'), lost: n('in_flaw_total') };
    } catch {
      // The channel went away meanwhile.
      return null;
    }
  }

  /** What FreeSWITCH plays for each source; null where stored media is missing. */
  private async resolve(sources: readonly PromptSource[], loop: boolean): Promise<(string | null)[]> {
    const out: (string | null)[] = [];
    for (const s of sources) {
      if (s.kind === 'tone') out.push(toneStream(s, loop && sources.length === 1));
      else if (s.kind === 'silence') out.push(`silence_stream://${Math.max(1, Math.round(s.durationMs))}`);
      else {
        const at = await this.locator.locate(s.ref);
        out.push(at ? (at.kind === 'file' ? at.path : at.url) : null);
      }
    }
    return out;
  }

  play(leg: Leg, sources: readonly PromptSource[], opts: PlayOptions = {}): PlayHandle {
    const ep = endpointOf(leg);
    if (!ep) return NO_PLAYBACK;
    for (const s of sources) if (s.kind === 'tone') toneStream(s, false);
    this.playing.get(ep.uuid)?.stop();
    let stopped = false;
    /** A playback application runs now: only then may stop() break (a break nothing takes would end the next application at once). */
    let running = false;
    let end!: (e: PlayEnd) => void;
    const done = new Promise<PlayEnd>((r) => (end = r));
    const handle: PlayHandle = {
      done,
      stop: () => {
        if (stopped) return;
        stopped = true;
        if (running) breakChannel(ep);
        end('stopped');
      },
    };
    this.playing.set(ep.uuid, handle);
    const gone = () => handle.stop();
    ep.once('destroy', gone);
    /** What plays under the list (spec 4.2 mix_ringtone): a FreeSWITCH displace in mux and loop mode. */
    let under: string | null = null;
    void (async () => {
      const files = await this.resolve(sources, opts.loop === true);
      if (opts.mix && opts.mix.length > 0) {
        const mixed = (await this.resolve(opts.mix, false)).filter((f): f is string => f !== null);
        const file =
          mixed.length === 1 ? mixed[0]! : mixed.length > 1 ? `file_string://${mixed.join('!')}` : null;
        if (file && !stopped) {
          await ep.api('uuid_displace', `${ep.uuid} start ${file} 0 ml`);
          under = file;
        }
      }
      const missing = files.indexOf(null);
      const playable = (missing < 0 ? files : files.slice(0, missing)) as string[];
      do {
        for (const file of playable) {
          if (stopped) return;
          running = true;
          const evt = await execute(leg, ep, 'playback', file).finally(() => (running = false));
          if (!evt) {
            end('stopped');
            return;
          }
          if (evt.getHeader('Application-Response') === 'FILE NOT FOUND') {
            end('failed');
            return;
          }
        }
      } while (
        opts.loop &&
        !stopped &&
        playable.length > 0 &&
        missing < 0 &&
        !playable[0]!.includes('loops=-1')
      );
      end(missing >= 0 ? 'failed' : 'finished');
    })()
      .catch(() => end(stopped ? 'stopped' : 'failed'))
      .finally(() => {
        ep.removeListener('destroy', gone);
        if (under) void ep.api('uuid_displace', `${ep.uuid} stop ${under}`).catch(() => undefined);
        if (this.playing.get(ep.uuid) === handle) this.playing.delete(ep.uuid);
      });
    return handle;
  }

  /**
   * A recording of what the far end says. With silence or stop digits (a
   * voice box: nothing else plays meanwhile) it is FreeSWITCH's `record`
   * application, which detects both; otherwise a media bug (`uuid_record`)
   * that records while prompts and tones play on the channel, as the call
   * API's record_start does, until stopped, the limit or the hang-up.
   */
  record(leg: Leg, opts: RecordOptions): RecordHandle {
    const ep = endpointOf(leg);
    if (!ep)
      return {
        done: Promise.resolve({ durationMs: 0, silenceOnly: true, reason: 'hangup', media: null }),
        stop: () => undefined,
      };
    const file = path.join(this.scratchDir, `${randomUUID()}.wav`);
    if (!opts.silenceSeconds && !opts.stopDigits) return this.recordAlongside(ep, file, opts);
    let stopped = false;
    let recording = false;
    let hungUp = false;
    const gone = () => (hungUp = true);
    ep.once('destroy', gone);
    const run = async (): Promise<RecordResult> => {
      await mkdir(this.scratchDir, { recursive: true });
      await ep.set({
        playback_terminators: opts.stopDigits && opts.stopDigits !== '' ? opts.stopDigits : 'none',
        record_sample_rate: '8000',
      });
      // record <file> <limit s> <silence threshold> <silence hits (s)>
      const silence = opts.silenceSeconds ? ` 200 ${Math.max(1, Math.round(opts.silenceSeconds))}` : '';
      if (stopped) return { durationMs: 0, silenceOnly: true, reason: 'stopped', media: null };
      recording = true;
      const evt = await execute(
        leg,
        ep,
        'record',
        `${file} ${Math.max(1, Math.ceil(opts.maxSeconds))}${silence}`,
      ).finally(() => (recording = false));
      ep.removeListener('destroy', gone);
      if (!evt) hungUp = true;
      const durationMs = Number(evt?.getHeader('variable_record_ms') ?? 0);
      const terminator = evt?.getHeader('variable_playback_terminator_used');
      let samples: Int16Array | null = null;
      try {
        samples = parseWav(await readFile(file));
      } catch {
        samples = null;
      }
      const reason: RecordResult['reason'] = stopped
        ? 'stopped'
        : hungUp
          ? 'hangup'
          : terminator
            ? 'dtmf'
            : durationMs >= opts.maxSeconds * 1000 - 100
              ? 'max'
              : 'silence';
      return {
        durationMs: samples ? Math.round(samples.length / 8) : durationMs,
        silenceOnly: !samples || !holdsSpeech(samples),
        reason,
        media: samples
          ? { location: { kind: 'file', path: file }, discard: () => rm(file, { force: true }) }
          : null,
      };
    };
    const done = run().catch((): RecordResult => ({
      durationMs: 0,
      silenceOnly: true,
      reason: 'hangup',
      media: null,
    }));
    return {
      done,
      location: { kind: 'file', path: file },
      stop: () => {
        if (stopped) return;
        stopped = true;
        if (recording) breakChannel(ep);
      },
    };
  }

  private recordAlongside(ep: Mrf.Endpoint, file: string, opts: RecordOptions): RecordHandle {
    let settle: (reason: RecordResult['reason']) => void = () => undefined;
    const ended = new Promise<RecordResult['reason']>((resolve) => (settle = resolve));
    const gone = () => settle('hangup');
    ep.once('destroy', gone);
    const limit = setTimeout(() => settle('max'), opts.maxSeconds * 1000);
    const run = async (): Promise<RecordResult> => {
      await mkdir(this.scratchDir, { recursive: true });
      // What the far end says only (not what is played to it), in 8 kHz mono as the engine keeps it.
      await ep.set({ RECORD_READ_ONLY: 'true', RECORD_STEREO: 'false', record_sample_rate: '8000' });
      // FreeSWITCH's own limit a second later: ours ends it, or the hang-up.
      await ep.api('uuid_record', `${ep.uuid} start ${file} ${Math.ceil(opts.maxSeconds) + 1}`);
      const reason = await ended;
      clearTimeout(limit);
      ep.removeListener('destroy', gone);
      if (reason !== 'hangup') await ep.api('uuid_record', `${ep.uuid} stop ${file}`).catch(() => undefined);
      // Closed by the stop, or by FreeSWITCH as the channel goes: a moment to finish writing.
      let samples: Int16Array | null = null;
      for (let i = 0; i < 10 && !samples; i++) {
        samples = await readFile(file).then(parseWav, () => null);
        if (!samples) await new Promise((r) => setTimeout(r, 100));
      }
      return {
        durationMs: samples ? Math.round(samples.length / 8) : 0,
        silenceOnly: !samples || !holdsSpeech(samples),
        reason,
        media: samples
          ? { location: { kind: 'file', path: file }, discard: () => rm(file, { force: true }) }
          : null,
      };
    };
    const done = run().catch((): RecordResult => {
      clearTimeout(limit);
      ep.removeListener('destroy', gone);
      return { durationMs: 0, silenceOnly: true, reason: 'hangup', media: null };
    });
    return { done, location: { kind: 'file', path: file }, stop: () => settle('stopped') };
  }

  onDtmf(leg: Leg, listener: (digit: DtmfEvent) => void): () => void {
    const ep = endpointOf(leg);
    if (!ep) return () => undefined;
    const on = (e: { dtmf: string; duration?: string; source?: string }) =>
      listener({
        digit: e.dtmf,
        durationMs: Math.round(Number(e.duration ?? 0) / 8),
        source: dtmfSource(e.source),
      });
    ep.on('dtmf', on);
    return () => ep.removeListener('dtmf', on);
  }

  async sendDtmf(
    leg: Leg,
    digits: string,
    opts: { durationMs?: number; pauseMs?: number } = {},
  ): Promise<void> {
    if (!/^[0-9A-Da-d*#]*$/.test(digits)) throw new RangeError(`not DTMF digits: ${JSON.stringify(digits)}`);
    const ep = endpointOf(leg);
    if (!ep || digits === '') return;
    const duration = Math.max(40, Math.round(opts.durationMs ?? 100));
    await ep.api('uuid_send_dtmf', `${ep.uuid} ${digits}@${duration}`);
    // FreeSWITCH queues the digits: resolve once they had time to go out.
    await new Promise((r) => setTimeout(r, digits.length * (duration + (opts.pauseMs ?? 60))));
  }

  onTone(leg: Leg, tone: DetectableTone, listener: () => void): () => void {
    const ep = endpointOf(leg);
    if (!ep || tone !== 'fax-cng') return () => undefined;
    const key = `cng-${randomUUID().slice(0, 8)}`;
    let fired = false;
    const on = (e: { tone?: string }) => {
      if (fired || e.tone !== key) return;
      fired = true;
      listener();
    };
    ep.on('tone', on);
    // tone_detect <key> <freq> r(ead side) +<timeout ms> ... <hits>: a DETECTED_TONE event when heard.
    void ep.execute('tone_detect', `${key} 1100 r +3600000 '' '' 1`).catch(() => undefined);
    // The detector stays on the channel (it reports once; stopping it would need the application queue).
    return () => ep.removeListener('tone', on);
  }

  fax(leg: Leg, opts: FaxOptions): FaxHandle {
    const ep = this.need(leg, 'fax');
    return new FsFax(leg, ep, opts, this.scratchDir);
  }
}
