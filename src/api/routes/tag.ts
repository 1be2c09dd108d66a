import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { OBJECT_TYPES } from '../../domain/objects.js';
import type { Services } from '../../services/index.js';
import type { NewTag, TagChanges } from '../../services/tag-service.js';
import { requireUser } from '../plugins/session-auth.js';
import { P, statusResponse, Str, Uuid } from '../schemas/common.js';
import { pageFromQuery, PageParams } from '../schemas/paging.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'objects' | 'tags'>;

const UUID = P.uuid.slice(1, -1);

const Params = Type.Object({ uuid: Uuid });

/** User UUID -> policy level (1 read, 2 write, 3 propagate, 4 owner). */
const Policy = Type.Record(Type.String({ pattern: P.uuid }), Type.Integer({ minimum: 1, maximum: 4 }), {
  additionalProperties: false,
  description: 'user UUID -> 1 (read), 2 (write), 3 (propagate), 4 (owner)',
});

const TagSchema = Type.Object({
  owner: Uuid,
  label: Type.String(),
  foreign_use: Type.Boolean(),
  policy: Type.Record(Type.String(), Type.Integer()),
});

const WRONG_TAG = { 'wrong-tag': 'The given UUID does not match a tag accessible by the current user' };
const WRONG_USER = {
  'wrong-user': 'One of the given user UUIDs is unknown or has no link with the current user',
};
const NOT_OWNER = { 'access-denied': 'The user is not the owner of the specified tag' };

const ObjectListQuery = Type.Object({
  filter: Type.Optional(Type.String({ enum: [...OBJECT_TYPES], description: 'optional: one object type' })),
  ...PageParams,
  tag: Type.Optional(
    Str(`^${UUID}(,${UUID})*$`, 'optional: comma-separated tag UUIDs that must also be attached (AND)'),
  ),
  // PostgreSQL text cannot hold U+0000.
  search: Type.Optional(
    Type.String({
      pattern: '^[^\\u0000]*$',
      maxLength: 500,
      description: 'optional: words that must all be present in the objects (case-insensitive)',
    }),
  ),
});
type ObjectListQuery = {
  filter?: string;
  from?: string;
  to?: string;
  start?: string;
  order?: string;
  count?: string;
  tag?: string;
  search?: string;
};

/** Spec 3.10: the user's tags, and the objects carrying a tag. */
export function registerTagRoutes(app: FastifyInstance, services: Deps): void {
  const { tags, objects } = services;

  app.get(
    '/api/tag',
    {
      schema: {
        tags: ['tag'],
        summary: "List the user's tags (without system tags and share tags)",
        response: statusResponse({}, Type.Object({ tag: Type.Record(Type.String(), TagSchema) })),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return { tag: await tags.list(userId) };
    },
  );

  app.post(
    '/api/tag',
    {
      schema: {
        tags: ['tag'],
        summary: 'Create a new tag for the current user',
        body: Type.Object({
          label: Str(P.tagLabel, 'text label of this tag'),
          foreign_use: Type.Optional(Type.Boolean()),
          policy: Type.Optional(Policy),
        }),
        response: statusResponse(WRONG_USER, Type.Object({ uuid: Uuid })),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return { uuid: await tags.create(userId, request.body as NewTag) };
    },
  );

  app.get(
    '/api/tag/:uuid',
    {
      schema: {
        tags: ['tag'],
        summary: 'Get information for a tag',
        params: Params,
        response: statusResponse(WRONG_TAG, TagSchema),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      return { ...(await tags.get(userId, uuid)) };
    },
  );

  app.post(
    '/api/tag/:uuid',
    {
      schema: {
        tags: ['tag'],
        summary: 'Modify a tag',
        params: Params,
        body: Type.Object({
          label: Type.Optional(Str(P.tagLabel, 'text label of this tag')),
          foreign_use: Type.Optional(Type.Boolean()),
          policy: Type.Optional(
            Type.Object({
              update: Type.Optional(Policy),
              delete: Type.Optional(Type.Array(Uuid, { maxItems: 1000 })),
            }),
          ),
        }),
        response: statusResponse({ ...WRONG_TAG, ...WRONG_USER, ...NOT_OWNER }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      await tags.modify(userId, uuid, request.body as TagChanges);
      return {};
    },
  );

  app.delete(
    '/api/tag/:uuid',
    {
      schema: {
        tags: ['tag'],
        summary: 'Delete a tag (it is detached from all objects)',
        params: Params,
        response: statusResponse({ ...WRONG_TAG, ...NOT_OWNER }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      await tags.delete(userId, uuid);
      return {};
    },
  );

  app.get(
    '/api/tag/:uuid/object',
    {
      schema: {
        tags: ['tag'],
        summary: 'Get the objects tagged with a tag',
        params: Params,
        querystring: ObjectListQuery,
        response: statusResponse(
          WRONG_TAG,
          Type.Object({ object: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())) }),
        ),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      const q = request.query as ObjectListQuery;
      const page = pageFromQuery(q, 10);
      const list = await objects.listByTag(userId, uuid, {
        page,
        filter: q.filter,
        tags: q.tag?.split(','),
        search: q.search,
      });
      // Keys keep the requested order: UUIDs are never integer-like property names.
      const object: Record<string, unknown> = {};
      for (const o of list) object[o.uuid] = objects.toApi(o);
      return { object };
    },
  );
}
