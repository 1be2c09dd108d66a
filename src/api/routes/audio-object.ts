import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ObjectRecord } from '../../domain/objects.js';
import type { AudioDownloadFormat, AudioObjectService } from '../../services/audio-object-service.js';
import { requireUser } from '../plugins/session-auth.js';
import { binaryResponse, statusResponse, Str, Uuid } from '../schemas/common.js';

/** A recording or announcement service as the routes need it. */
export type AudioObjectApi = AudioObjectService & { toApi(obj: ObjectRecord): Record<string, unknown> };

export const AudioParams = Type.Object({ uuid: Uuid });

/** `description` of spec 3.14/3.15: `^.{0,200}$`. */
export const Description = Str('^.{0,200}$', 'a short description');

const MIME: Record<AudioDownloadFormat, string> = { wav: 'audio/wav', ogg: 'audio/ogg' };

/** The statuses shared by every call on one audio object: wrong-recording / wrong-announcement. */
export function wrongObject(svc: AudioObjectService): Record<string, string> {
  return {
    [svc.notFound]: `The given UUID does not match ${svc.type === 'announcement' ? 'an' : 'a'} ${svc.type} accessible by the current user`,
  };
}

export function accessDenied(svc: AudioObjectService): Record<string, string> {
  return {
    'access-denied': `The user does not have sufficient privileges on the ${svc.type} (at least write privileges are required)`,
  };
}

export interface AudioRouteOptions {
  /** Spec 3.14 lists the recording's description without "optional"; 3.15 marks it optional. */
  descriptionRequired: boolean;
  /** The type's own fields in GET, for the OpenAPI document. */
  fields: Record<string, TSchema>;
}

/**
 * GET, POST and DELETE on `/api/<type>/(uuid)` and the WAV and Ogg Vorbis
 * downloads, which spec 3.14 (recording) and 3.15 (announcement) define alike.
 */
export function registerAudioObjectRoutes(
  app: FastifyInstance,
  svc: AudioObjectApi,
  opts: AudioRouteOptions,
): void {
  const type = svc.type;
  const base = `/api/${type}/:uuid`;
  const wrong = wrongObject(svc);
  const denied = accessDenied(svc);

  app.get(
    base,
    {
      schema: {
        tags: [type],
        summary: `Get information about ${type} uuid`,
        params: AudioParams,
        response: statusResponse(
          wrong,
          Type.Object({
            [type]: Type.Object({
              owner: Uuid,
              time: Type.Integer({ description: 'creation time, seconds since the epoch' }),
              description: Type.Optional(Type.String()),
              ...opts.fields,
              status: Type.String({ enum: ['record', 'ok', 'convert', 'empty', 'fail'] }),
              tag: Type.Array(Uuid),
            }),
          }),
        ),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      return { [type]: svc.toApi(await svc.get(userId, uuid)) };
    },
  );

  app.post(
    base,
    {
      schema: {
        tags: [type],
        summary: `Modify ${type} uuid`,
        params: AudioParams,
        body: Type.Object({
          description: opts.descriptionRequired ? Description : Type.Optional(Description),
        }),
        response: statusResponse({ ...wrong, ...denied }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      const { description } = request.body as { description?: string };
      if (description === undefined) await svc.get(userId, uuid, 'write');
      else await svc.describe(userId, uuid, description);
      return {};
    },
  );

  app.delete(
    base,
    {
      schema: {
        tags: [type],
        summary: `Delete ${type} uuid (to the trash, or permanently with purge)`,
        params: AudioParams,
        querystring: Type.Object({
          purge: Type.Optional(Type.String({ description: 'if present: delete permanently' })),
        }),
        response: statusResponse({ ...wrong, ...denied }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      await svc.remove(userId, uuid, Object.hasOwn(request.query as object, 'purge'));
      return {};
    },
  );

  app.get(
    `${base}/:file`,
    {
      config: { binary: true, didParam: 'uuid' },
      schema: {
        tags: [type],
        summary: `Get the ${type} contents as WAV (\`xxx.wav\`, 8 kHz mono 16-bit) or Ogg Vorbis (\`xxx.ogg\`)`,
        description:
          '`xxx` is an arbitrary name. Only contents with status `ok` exist; anything else answers ' +
          'HTTP 404 without a body. Accepts did + dkey (spec 2.3).',
        params: Type.Object({
          uuid: Uuid,
          file: Type.String({ pattern: '^[^/]{0,200}\\.(wav|ogg)$', description: 'xxx.wav or xxx.ogg' }),
        }),
        querystring: Type.Object({
          inline: Type.Optional(Type.String({ description: 'if present: Content-Disposition inline' })),
          did: Type.Optional(Type.String()),
          dkey: Type.Optional(Type.String()),
          sid: Type.Optional(Type.String()),
        }),
        response: {
          ...binaryResponse(MIME.wav),
          200: {
            description: 'the contents: audio/wav for xxx.wav, audio/ogg for xxx.ogg',
            content: Object.fromEntries(
              Object.values(MIME).map((m) => [m, { schema: { type: 'string', format: 'binary' } }]),
            ),
          },
        },
      },
    },
    async (request, reply) => {
      const { userId } = requireUser(request);
      const { uuid, file } = request.params as { uuid: string; file: string };
      const format: AudioDownloadFormat = file.endsWith('.ogg') ? 'ogg' : 'wav';
      const found = await svc.download(userId, uuid, format);
      // Spec 2.3 / RFC 2183: `inline` in the URL asks for inline display, else attachment.
      const inline = Object.hasOwn(request.query as object, 'inline');
      return reply
        .type(MIME[format])
        .header('content-length', found.size)
        .header('content-disposition', inline ? 'inline' : 'attachment')
        .header('cache-control', 'private, no-cache')
        .send(found.stream);
    },
  );
}
