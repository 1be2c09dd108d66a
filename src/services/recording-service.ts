import type { ObjectRecord } from '../domain/objects.js';
import type { EventPublisher } from '../events/types.js';
import { newId } from '../lib/ids.js';
import type { MediaQueue } from '../media/jobs.js';
import { AudioObjectService, type AudioObjectOptions } from './audio-object-service.js';
import type { ObjectService } from './object-service.js';

export interface RecordingFromCall {
  owner: string;
  /** Caller and called number as the call showed them (spec 3.14 `from`, `to`). */
  from: string;
  to: string;
  /** The recorded file; it is moved into the recording's folder. */
  wavPath: string;
  description?: string | null;
}

/**
 * Recordings (spec 3.14): audio the telephony engine records (voicemail,
 * call recording). They have no upload call; they arrive through
 * `createFromCall`, are converted like announcements, and end `empty` when
 * only silence was recorded.
 */
export class RecordingService extends AudioObjectService {
  constructor(
    objects: ObjectService,
    events: EventPublisher,
    media: MediaQueue,
    objectDir: string,
    opts: AudioObjectOptions = {},
  ) {
    super('recording', objects, events, media, objectDir, opts);
  }

  /** GET /api/recording/(uuid): `{owner, time, description, from, to, status, tag}`. */
  toApi(obj: ObjectRecord): Record<string, unknown> {
    return {
      ...this.baseApi(obj),
      from: typeof obj.data['from'] === 'string' ? obj.data['from'] : '',
      to: typeof obj.data['to'] === 'string' ? obj.data['to'] : '',
      status: this.status(obj),
      tag: [...obj.tags],
    };
  }

  /**
   * A finished recording from the telephony engine: a new object in the
   * owner's inbox, marked unread (issue 4: incoming media carries tag_inbox
   * and tag_unread), with status convert until the worker has converted it.
   */
  async createFromCall(input: RecordingFromCall): Promise<ObjectRecord> {
    const uuid = newId();
    const obj = await this.objects.create({
      uuid,
      type: 'recording',
      owner: input.owner,
      description: input.description ?? null,
      data: { status: 'convert', from: input.from, to: input.to },
      searchText: `${input.from} ${input.to}`,
      tags: ['tag_inbox', 'tag_unread'],
    });
    try {
      await this.adoptFile(obj, input.wavPath);
    } catch (err) {
      // Without its file the recording can never be converted: record that instead of leaving convert.
      await this.objects.modify(obj, { data: { status: 'fail' } });
      throw err;
    }
    return (await this.objects.find(obj.owner, obj.uuid, 'recording')) ?? obj;
  }
}
