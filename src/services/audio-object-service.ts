import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ServiceError, type SpecStatus } from '../errors/index.js';
import type { ObjectRecord } from '../domain/objects.js';
import type { EventPublisher } from '../events/types.js';
import { objectFolder, tempSibling, writeFileAtomic } from '../media/files.js';
import type { JobContext, MediaQueue } from '../media/jobs.js';
import { probeAudio } from '../media/processors/audio-probe.js';
import { AUDIO_FILES, type ConvertedAudio } from '../media/processors/audio-convert.js';
import type { ObjectService } from './object-service.js';

export type AudioObjectType = 'recording' | 'announcement';

/** The status field of recordings and announcements (spec 3.14, 3.15). */
export const AUDIO_STATUSES = ['record', 'ok', 'convert', 'empty', 'fail'] as const;
export type AudioStatus = (typeof AUDIO_STATUSES)[number];

/** How a finished conversion ended. */
export type ConversionOutcome = 'ok' | 'empty' | 'fail';

export type AudioDownloadFormat = 'wav' | 'ogg';

/** Marker prefixes of pending requests in an object's folder: an upload, or a text2speech request. */
const PENDING = /^(upload|tts)-[0-9a-f]+$/;

const rand = (): string => randomBytes(8).toString('hex');

/** Moves a file, copying when source and target are on different file systems. */
export async function moveFile(from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    const tmp = tempSibling(to);
    await fs.copyFile(from, tmp);
    await fs.rename(tmp, to);
    await fs.rm(from, { force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

export interface AudioObjectOptions {
  /** Called after the status of a finished conversion is committed (e.g. announcement_convert). */
  onFinished?: (obj: ObjectRecord, outcome: ConversionOutcome) => Promise<void>;
}

/**
 * What recordings (spec 3.14) and announcements (spec 3.15) share: audio
 * objects with the status record/ok/convert/empty/fail, WAV and Ogg Vorbis
 * downloads, and conversions run by the media worker.
 *
 * Files live in `<objectDir>/<type>/<uuid>/`: `telephony.wav` (8 kHz mono
 * s16le, played by the telephony engine and served as the WAV download) and
 * `x.ogg`. A request to convert is a pending file in that folder
 * (`upload-<random>` holding the raw upload, or `tts-<random>` for
 * text2speech); a newer request removes older pending files, and a job whose
 * pending file is gone has been superseded (or already finished) and does
 * nothing. Results are written in a work folder, renamed into place, and the
 * database is updated last; the pending file goes after that, so a job
 * retried after a crash at any point produces the same object.
 */
export class AudioObjectService {
  readonly notFound: SpecStatus;

  constructor(
    readonly type: AudioObjectType,
    protected readonly objects: ObjectService,
    protected readonly events: EventPublisher,
    protected readonly media: MediaQueue,
    private readonly objectDir: string,
    private readonly opts: AudioObjectOptions = {},
  ) {
    this.notFound = type === 'recording' ? 'wrong-recording' : 'wrong-announcement';
    objects.registerType(type, {
      purge: (obj) => fs.rm(this.dir(obj.uuid), { recursive: true, force: true }),
    });
  }

  /** The object's folder. */
  dir(uuid: string): string {
    return objectFolder(this.objectDir, this.type, uuid);
  }

  /** The telephony WAV (8 kHz mono s16le) the telephony engine plays; present when the status is ok. */
  telephonyWav(uuid: string): string {
    return path.join(this.dir(uuid), AUDIO_FILES.wav);
  }

  /** The object if `userId` may access it; another user's object answers like an unknown one. */
  get(userId: string, uuid: string, need: 'read' | 'write' = 'read'): Promise<ObjectRecord> {
    return this.objects.get(userId, uuid, { type: this.type, notFound: this.notFound, need });
  }

  status(obj: ObjectRecord): AudioStatus {
    const s = obj.data['status'];
    return typeof s === 'string' && (AUDIO_STATUSES as readonly string[]).includes(s)
      ? (s as AudioStatus)
      : 'fail';
  }

  /** The fields every audio object shows in GET (spec 3.14/3.15), before the type's own fields. */
  protected baseApi(obj: ObjectRecord): Record<string, unknown> {
    return {
      owner: obj.owner,
      time: Math.floor(obj.createdUs / 1_000_000),
      ...(obj.description !== null ? { description: obj.description } : {}),
    };
  }

  /** POST /api/<type>/(uuid): changes the description. */
  async describe(userId: string, uuid: string, description: string): Promise<void> {
    const obj = await this.get(userId, uuid, 'write');
    await this.objects.modify(obj, { description }, { actor: userId });
  }

  /** DELETE /api/<type>/(uuid): to the trash, or for good with `purge` (spec 3.11). */
  async remove(userId: string, uuid: string, purge: boolean): Promise<void> {
    const obj = await this.get(userId, uuid, 'write');
    if (purge) await this.objects.purge(obj, userId);
    else await this.objects.moveToTrash(obj, userId);
  }

  /**
   * A download (spec 3.14/3.15 `xxx.wav`, `xxx.ogg`). Only an object with
   * status ok has contents; anything else is not found (the route answers
   * HTTP 404 without a body). The file is opened before its size is taken,
   * so a conversion renaming a new file into place meanwhile cannot make the
   * length and the bytes disagree.
   */
  async download(
    userId: string,
    uuid: string,
    format: AudioDownloadFormat,
  ): Promise<{ stream: Readable; size: number }> {
    const obj = await this.get(userId, uuid);
    const none = (): ServiceError => new ServiceError(this.notFound, `the ${this.type} has no contents`);
    if (this.status(obj) !== 'ok') throw none();
    const file = path.join(this.dir(obj.uuid), format === 'wav' ? AUDIO_FILES.wav : AUDIO_FILES.ogg);
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(file, 'r');
    } catch {
      throw none();
    }
    try {
      const { size } = await fh.stat();
      return { stream: fh.createReadStream(), size };
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /**
   * An upload (spec 3.15 `xxx.wav` / `xxx.ogg`): stored as a pending file
   * after ffprobe finds decodable audio in it (malformed-file otherwise),
   * then status convert, object_modify, and an `audio.convert` job.
   */
  async upload(userId: string, uuid: string, body: Buffer): Promise<void> {
    const obj = await this.get(userId, uuid, 'write');
    if (body.length === 0) throw new ServiceError('malformed-file', 'the request body is empty');
    const dir = this.dir(obj.uuid);
    await fs.mkdir(dir, { recursive: true });
    const name = `upload-${rand()}`;
    const tmp = tempSibling(path.join(dir, name));
    try {
      const fh = await fs.open(tmp, 'wx');
      try {
        await fh.writeFile(body);
        // On disk before it is named as pending: a job must never find a half-written upload.
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (!(await probeAudio(tmp))) {
        throw new ServiceError('malformed-file', 'the content is not decodable audio');
      }
      await fs.rename(tmp, path.join(dir, name));
    } finally {
      await fs.rm(tmp, { force: true });
    }
    await this.request(obj, name, userId);
  }

  /**
   * Takes `source` (moved, not copied) as the object's new contents and
   * starts its conversion. Used for files that come from the telephony
   * engine rather than from an HTTP upload.
   */
  async adoptFile(obj: ObjectRecord, source: string, actor?: string): Promise<void> {
    const dir = this.dir(obj.uuid);
    await fs.mkdir(dir, { recursive: true });
    const name = `upload-${rand()}`;
    await moveFile(source, path.join(dir, name));
    await this.request(obj, name, actor);
  }

  /** Writes a pending text2speech request; returns its marker name (the `tts` job's `request`). */
  protected async pendingTts(obj: ObjectRecord, record: Record<string, string>): Promise<string> {
    const name = `tts-${rand()}`;
    await writeFileAtomic(path.join(this.dir(obj.uuid), name), JSON.stringify(record));
    return name;
  }

  /**
   * Makes `pending` the object's one pending request: older pending files
   * go (their jobs become no-ops), the status turns convert, and for an
   * upload the `audio.convert` job is enqueued. Callers that pass a tts
   * marker enqueue the `tts` job themselves.
   */
  protected async request(obj: ObjectRecord, pending: string, actor?: string): Promise<ObjectRecord> {
    const dir = this.dir(obj.uuid);
    for (const f of await fs.readdir(dir)) {
      if (f !== pending && PENDING.test(f)) await fs.rm(path.join(dir, f), { force: true });
    }
    // Already converting (a new recording, or a second upload in a row): nothing visible changes.
    const updated =
      this.status(obj) === 'convert'
        ? obj
        : await this.objects.modify(
            obj,
            { data: { status: 'convert' } },
            actor !== undefined ? { actor } : {},
          );
    if (pending.startsWith('upload-')) {
      await this.media.enqueue({
        kind: 'audio.convert',
        objectId: obj.uuid,
        owner: obj.owner,
        objectType: this.type,
        input: path.join(dir, pending),
      });
    }
    return updated;
  }

  /**
   * Runs one conversion job of the worker (see the class comment). `pending`
   * is the job's pending file; `produce` writes the converted files into the
   * work folder it is given. On the last attempt a failure sets status fail
   * and still sends the events, so no object stays in convert.
   */
  async runConversion(
    objectId: string,
    owner: string,
    pending: string,
    ctx: Pick<JobContext, 'final' | 'progress'>,
    produce: (workDir: string) => Promise<ConvertedAudio>,
  ): Promise<void> {
    const dir = this.dir(objectId);
    // Job payloads name files of this object only; anything else is not ours to touch.
    if (path.dirname(pending) !== dir || !PENDING.test(path.basename(pending))) {
      throw new Error(`pending file ${pending} is not in ${dir}`);
    }
    const work = path.join(dir, `.work-${path.basename(pending)}`);
    const current = async (): Promise<ObjectRecord | undefined> =>
      (await exists(pending)) ? this.objects.find(owner, objectId, this.type) : undefined;
    try {
      if (!(await current())) return;
      // A crashed attempt of this same job may have left its work folder behind.
      await fs.rm(work, { recursive: true, force: true });
      await fs.mkdir(work, { recursive: true });
      const result = await produce(work);
      const obj = await current();
      if (!obj) return;
      if (!result.silent) {
        await fs.rename(result.wav, path.join(dir, AUDIO_FILES.wav));
        await fs.rename(result.ogg, path.join(dir, AUDIO_FILES.ogg));
      }
      // The folder is tidy before anyone hears of the outcome.
      await fs.rm(work, { recursive: true, force: true });
      await ctx.progress(95);
      if (result.silent) await this.finish(obj, 'empty', pending);
      else await this.finish(obj, 'ok', pending, result.sizeBytes);
    } catch (err) {
      if (ctx.final) {
        const obj = await current().catch(() => undefined);
        if (obj) await this.finish(obj, 'fail', pending);
      }
      throw err;
    } finally {
      await fs.rm(work, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Commits the outcome (object_modify), then the type's event; the pending file goes last. */
  private async finish(
    obj: ObjectRecord,
    outcome: ConversionOutcome,
    pending: string,
    sizeBytes = 0,
  ): Promise<void> {
    const updated = await this.objects.modify(obj, { data: { status: outcome }, sizeBytes });
    if (outcome !== 'ok') {
      // Spec 3.14/3.15: empty and fail have "no contents available".
      const dir = this.dir(obj.uuid);
      await fs.rm(path.join(dir, AUDIO_FILES.wav), { force: true });
      await fs.rm(path.join(dir, AUDIO_FILES.ogg), { force: true });
    }
    await this.opts.onFinished?.(updated, outcome);
    await fs.rm(pending, { force: true });
  }
}
