import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { DEFAULT_TTS_LOCALE, TTS_LOCALES, type TtsLocale } from '../../media/processors/tts.js';
import { requireUser } from '../plugins/session-auth.js';
import { statusResponse, Str, Uuid } from '../schemas/common.js';
import {
  accessDenied,
  AudioParams,
  Description,
  registerAudioObjectRoutes,
  wrongObject,
} from './audio-object.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'announcements' | 'config'>;

/**
 * Spec 3.15: announcements. Besides the calls shared with recordings:
 * uploads of WAV or Ogg Vorbis, text to speech, and (an extension, the spec
 * has none) a create call shaped like POST /api/fax.
 */
export function registerAnnouncementRoutes(app: FastifyInstance, services: Deps): void {
  const { announcements, config } = services;
  const wrong = wrongObject(announcements);
  const denied = accessDenied(announcements);

  app.post(
    '/api/announcement',
    {
      schema: {
        tags: ['announcement'],
        summary: 'Create a new announcement (extension: not in the spec; shaped like POST /api/fax)',
        description:
          'The spec has no call that creates an announcement; this one answers `{"uuid": ...}` like ' +
          'POST /api/fax (spec 3.13). The new announcement has status `empty` until contents are ' +
          'uploaded or spoken by text2speech.',
        body: Type.Object({ description: Type.Optional(Description) }),
        response: statusResponse({}, Type.Object({ uuid: Uuid })),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { description } = request.body as { description?: string };
      const obj = await announcements.create(userId, description ?? null);
      return { uuid: obj.uuid };
    },
  );

  registerAudioObjectRoutes(app, announcements, { descriptionRequired: false, fields: {} });

  app.post(
    '/api/announcement/:uuid/text2speech',
    {
      schema: {
        tags: ['announcement'],
        summary: 'Set the announcement uuid from text (text to speech)',
        params: AudioParams,
        body: Type.Object({
          text: Str('^.{1,5000}$', 'the text of this announcement'),
          locale: Type.Optional(
            Type.String({
              enum: [...TTS_LOCALES],
              description: `optional, default ${DEFAULT_TTS_LOCALE}: the language of text`,
            }),
          ),
        }),
        response: statusResponse({ ...wrong, ...denied }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      const { text, locale } = request.body as { text: string; locale?: TtsLocale };
      await announcements.textToSpeech(userId, uuid, text, locale ?? DEFAULT_TTS_LOCALE);
      return {};
    },
  );

  app.post(
    '/api/announcement/:uuid/:file',
    {
      bodyLimit: config.audioMaxBytes,
      config: { rawBody: true },
      schema: {
        tags: ['announcement'],
        summary:
          'Upload the announcement uuid in WAV (`xxx.wav`) or Ogg Vorbis (`xxx.ogg`) format (raw body)',
        description:
          'Any sample rate and channel count; the contents are converted to 8 kHz mono 16-bit for ' +
          'telephony and to Ogg Vorbis for downloads. The answer comes once the file is known to be ' +
          'decodable audio; the conversion follows (status `convert`, then `announcement_convert`).',
        params: Type.Object({
          uuid: Uuid,
          file: Type.String({ pattern: '^[^/]{0,200}\\.(wav|ogg)$', description: 'xxx.wav or xxx.ogg' }),
        }),
        response: statusResponse({
          ...wrong,
          ...denied,
          'too-large': `The contents are too large to be handled by the system (over ${config.audioMaxBytes} bytes)`,
          'malformed-file': 'The content is malformed.',
        }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      // No body at all arrives as undefined: an empty file, malformed once the announcement is known.
      const body: unknown = request.body;
      await announcements.upload(userId, uuid, Buffer.isBuffer(body) ? body : Buffer.alloc(0));
      return {};
    },
  );
}
