import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { MetadataQuery, MetadataUpdate } from '../../services/metadata-service.js';
import { requireUser } from '../plugins/session-auth.js';
import { statusResponse, Uuid } from '../schemas/common.js';
import {
  metadataFlags,
  MetadataBodySchema,
  MetadataFlagsSchema,
  MetadataQuerySchema,
  MetadataResponse,
} from './user-metadata.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'metadata' | 'objects'>;

const Params = Type.Object({ uuid: Uuid });

const WRONG_OBJECT = {
  'wrong-object': 'The given UUID does not match an object accessible by the current user',
};

/** Spec 3.12: tag attachments and metadata of objects of any type. */
export function registerObjectRoutes(app: FastifyInstance, services: Deps): void {
  const { objects, metadata } = services;

  app.post(
    '/api/object/:uuid/tag',
    {
      schema: {
        tags: ['object'],
        summary: 'Modify tag attachments of an object',
        params: Params,
        body: Type.Object({
          add: Type.Optional(Type.Array(Uuid, { maxItems: 1000, description: 'tags to attach' })),
          delete: Type.Optional(Type.Array(Uuid, { maxItems: 1000, description: 'tags to detach' })),
        }),
        response: statusResponse({
          ...WRONG_OBJECT,
          'wrong-tag': 'One of the given UUIDs does not match a tag accessible by the current user',
          'access-denied':
            'The user does not have sufficient privileges on the object, or the object is in the trash ' +
            'and the request does something else than remove the trash tag',
          'already-tag': 'A tag listed in the `add` section is already attached to the object',
          'no-tag': 'A tag listed in the `delete` section is not attached to the object',
        }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      await objects.modifyTags(userId, uuid, request.body as { add?: string[]; delete?: string[] });
      return {};
    },
  );

  app.get(
    '/api/object/:uuid/metadata',
    {
      schema: {
        tags: ['object'],
        summary: 'Get the metadata of an object',
        params: Params,
        querystring: MetadataQuerySchema,
        response: statusResponse(WRONG_OBJECT, MetadataResponse),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      return { metadata: await metadata.getObject(userId, uuid, request.query as MetadataQuery) };
    },
  );

  app.post(
    '/api/object/:uuid/metadata',
    {
      schema: {
        tags: ['object'],
        summary: 'Modify or delete metadata of an object',
        params: Params,
        querystring: MetadataFlagsSchema,
        body: MetadataBodySchema,
        response: statusResponse({
          ...WRONG_OBJECT,
          'too-large': 'At least one metadata value is too big (100 KB maximum)',
          'access-denied': 'The user does not have at least write privileges on the object',
        }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      await metadata.setObject(userId, uuid, request.body as MetadataUpdate, metadataFlags(request.query));
      return {};
    },
  );
}
