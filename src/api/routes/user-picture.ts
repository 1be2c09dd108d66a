import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.js';
import { picturePixels, type PicturePixels } from '../../services/picture-service.js';
import { ServiceError } from '../../errors/index.js';
import { requireUser } from '../plugins/session-auth.js';
import { binaryResponse, P, statusResponse } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'config' | 'events' | 'pictures'>;

const SIZES = ['small', 'medium', 'large', 'huge', '48', '96', '192', '384'];

const PictureParams = Type.Object({
  size: Type.String({ enum: SIZES, description: 'small 48x48, medium 96x96, large 192x192, huge 384x384' }),
  file: Type.String({ pattern: '^[^/]{1,200}\\.jpg$', description: 'an arbitrary file name ending in .jpg' }),
});

const PictureQuery = Type.Object({
  inline: Type.Optional(Type.String({ description: 'if present: Content-Disposition inline' })),
  did: Type.Optional(Type.String()),
  dkey: Type.Optional(Type.String()),
  sid: Type.Optional(Type.String()),
});

/** Spec 2.3 download rule: `inline` in the URL asks for inline display, else attachment. */
function sendJpeg(request: FastifyRequest, reply: FastifyReply, data: Buffer): FastifyReply {
  const inline = Object.hasOwn(request.query as object, 'inline');
  return reply
    .type('image/jpeg')
    .header('content-disposition', inline ? 'inline' : 'attachment')
    .header('cache-control', 'private, no-cache')
    .send(data);
}

function pixelsOf(request: FastifyRequest): PicturePixels {
  const px = picturePixels((request.params as { size: string }).size);
  if (!px) throw new ServiceError('wrong-syntax', 'unknown picture size');
  return px;
}

/** Spec 3.6: setting, deleting and downloading profile pictures. */
export function registerUserPictureRoutes(app: FastifyInstance, services: Deps): void {
  const { pictures, events, config } = services;

  app.post(
    '/api/user/picture',
    {
      bodyLimit: config.pictureMaxBytes,
      config: { rawBody: true },
      schema: {
        tags: ['user'],
        summary: "Set the current session user's profile picture (raw JPEG or PNG body)",
        response: statusResponse({
          'too-large': `The picture data is too large to be handled (over ${config.pictureMaxBytes} bytes or 1500x1500 pixels)`,
          'malformed-file': 'The picture data is malformed / cannot be decoded',
        }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const body: unknown = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new ServiceError('malformed-file', 'the request body holds no picture');
      }
      await pictures.set(userId, body);
      await events.publish({ users: [userId] }, 'user_modify', {});
      return {};
    },
  );

  app.delete(
    '/api/user/picture',
    {
      schema: {
        tags: ['user'],
        summary: "Delete the current session user's profile picture",
        response: statusResponse(),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      if (await pictures.remove(userId)) await events.publish({ users: [userId] }, 'user_modify', {});
      return {};
    },
  );

  // The default picture needs no session: it is what anyone sees for users without one.
  app.get(
    '/api/user/default/picture/:size/:file',
    {
      config: { auth: 'none', binary: true },
      schema: {
        tags: ['user'],
        summary: 'Get the default profile picture',
        params: PictureParams,
        querystring: PictureQuery,
        response: binaryResponse('image/jpeg'),
      },
    },
    async (request, reply) => sendJpeg(request, reply, await pictures.defaultPicture(pixelsOf(request))),
  );

  app.get(
    '/api/user/:id/picture/:size/:file',
    {
      config: { auth: 'session', binary: true, didParam: 'id' },
      schema: {
        tags: ['user'],
        summary: "Get a user's profile picture (`self` for the session's user)",
        description:
          'Unknown users, and users the session may not see, answer HTTP 404 without a body; users ' +
          'without a picture answer a 302 redirect to the default picture. Accepts did + dkey (spec 2.3).',
        params: Type.Composite([
          Type.Object({ id: Type.String({ pattern: `^(self|${P.uuid.slice(1, -1)})$` }) }),
          PictureParams,
        ]),
        querystring: PictureQuery,
        response: {
          ...binaryResponse('image/jpeg'),
          302: { description: 'redirect to the default picture; no body', type: 'null' },
        },
      },
    },
    async (request, reply) => {
      const session = request.session;
      if (!session || session.kind === 'anonymous') throw new ServiceError('no-auth', 'not authenticated');
      const { id, size, file } = request.params as { id: string; size: string; file: string };
      let userId: string;
      if (id === 'self') {
        if (!session.userId) throw new ServiceError('wrong-user', 'a partner session has no own picture');
        userId = session.userId;
      } else {
        userId = id.toLowerCase();
      }
      // A partner sees its own users, a user the users of the same partner scope (spec 3.5).
      const found = await pictures.lookup(userId, pixelsOf(request), session.partnerId ?? null);
      switch (found.kind) {
        case 'unknown':
          throw new ServiceError('wrong-user', 'unknown user');
        case 'default': {
          const inline = Object.hasOwn(request.query as object, 'inline') ? '?inline' : '';
          return reply.redirect(
            `/api/user/default/picture/${size}/${encodeURIComponent(file)}${inline}`,
            302,
          );
        }
        case 'picture':
          return sendJpeg(request, reply, found.data);
      }
    },
  );
}
