import ffmpeg, { type FfprobeData } from 'fluent-ffmpeg';

/** What ffprobe says about an audio file (the first audio stream). */
export interface AudioProbe {
  /** Container as ffprobe names it: 'wav', 'ogg', 'mp3' ... */
  format: string;
  /** Codec of the first audio stream: 'pcm_s16le', 'vorbis', 'mp3' ... */
  codec: string;
  sampleRate: number;
  channels: number;
  /** Null when the container does not say (streams, some headers). */
  durationSeconds: number | null;
}

function ffprobe(file: string): Promise<FfprobeData> {
  return new Promise((resolve, reject) => {
    ffmpeg.ffprobe(file, (err: unknown, data: FfprobeData) => (err ? reject(toError(err)) : resolve(data)));
  });
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function finite(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

/**
 * Probes a file with ffprobe. Null means "not decodable audio": ffprobe does
 * not recognise the container, or it holds no audio stream. Uploads are
 * checked with this before the API answers (spec 3.15 malformed-file), so a
 * client learns about a broken file at once instead of from a later `fail`.
 */
export async function probeAudio(file: string): Promise<AudioProbe | null> {
  let data: FfprobeData;
  try {
    data = await ffprobe(file);
  } catch {
    return null;
  }
  const stream = data.streams.find((s) => s.codec_type === 'audio');
  if (!stream) return null;
  const sampleRate = finite(stream.sample_rate);
  const channels = finite(stream.channels);
  if (!sampleRate || !channels) return null;
  return {
    format: data.format.format_name ?? 'unknown',
    codec: stream.codec_name ?? 'unknown',
    sampleRate,
    channels,
    durationSeconds: finite(stream.duration) ?? finite(data.format.duration),
  };
}
