import type { ObjectRecord } from '../domain/objects.js';
import type { EventPublisher } from '../events/types.js';
import { newId } from '../lib/ids.js';
import type { MediaQueue } from '../media/jobs.js';
import type { TtsLocale } from '../media/processors/tts.js';
import { AudioObjectService, type ConversionOutcome } from './audio-object-service.js';
import type { ObjectService } from './object-service.js';

/**
 * Announcements (spec 3.15): audio the user uploads (WAV, Ogg) or has spoken
 * by text to speech, played by the telephony engine from the 8 kHz telephony
 * WAV. Every finished conversion sends `announcement_convert` (spec 7.10.1).
 */
export class AnnouncementService extends AudioObjectService {
  constructor(objects: ObjectService, events: EventPublisher, media: MediaQueue, objectDir: string) {
    super('announcement', objects, events, media, objectDir, {
      onFinished: (obj, outcome) => this.converted(obj, outcome),
    });
  }

  /** GET /api/announcement/(uuid): `{owner, time, description, status, tag}`. */
  toApi(obj: ObjectRecord): Record<string, unknown> {
    return { ...this.baseApi(obj), status: this.status(obj), tag: [...obj.tags] };
  }

  /**
   * POST /api/announcement (an extension: the spec has no create call). A new
   * announcement has no contents yet, which the spec's statuses call `empty`.
   */
  async create(userId: string, description: string | null): Promise<ObjectRecord> {
    return this.objects.create({
      uuid: newId(),
      type: 'announcement',
      owner: userId,
      description,
      data: { status: 'empty' },
    });
  }

  /** POST /api/announcement/(uuid)/text2speech: status convert, then a `tts` job. */
  async textToSpeech(userId: string, uuid: string, text: string, locale: TtsLocale): Promise<void> {
    const obj = await this.get(userId, uuid, 'write');
    const request = await this.pendingTts(obj, { text, locale });
    await this.request(obj, request, userId);
    await this.media.enqueue({ kind: 'tts', objectId: obj.uuid, owner: obj.owner, text, locale, request });
  }

  /**
   * Spec 7.10.1: `success: true` only "in case of successful conversion",
   * i.e. when the announcement has contents; for empty and fail it is absent.
   */
  private async converted(obj: ObjectRecord, outcome: ConversionOutcome): Promise<void> {
    await this.events.publish({ users: this.objects.readers(obj) }, 'announcement_convert', {
      announcement: obj.uuid,
      ...(outcome === 'ok' ? { success: true } : {}),
    });
  }
}
