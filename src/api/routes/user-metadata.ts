import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { MetadataFlags, MetadataQuery, MetadataUpdate } from '../../services/metadata-service.js';
import { requireUser } from '../plugins/session-auth.js';
import { P, statusResponse, Str } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'metadata'>;

const KEY = P.metadataKey.slice(1, -1);

/** Query of GET /api/user/metadata and GET /api/object/(uuid)/metadata. */
export const MetadataQuerySchema = Type.Object({
  keys: Type.Optional(
    Str(`^${KEY}(,${KEY})*$`, 'optional: a comma-separated list of metadata keys to get information for'),
  ),
  domain: Type.Optional(
    Str(
      '^[a-z0-9]{2,50}(\\.[a-z0-9]{2,50}){0,10}$',
      'optional: a domain to retrieve metadata for all keys under this domain (not the domain key itself)',
    ),
  ),
});

/** Query of the POST calls: both are flags, present means on. */
export const MetadataFlagsSchema = Type.Object({
  noevent: Type.Optional(Type.String({ description: "optional: if present, don't generate an event" })),
  nostore: Type.Optional(
    Type.String({ description: "optional: if present, don't store the metadata permanently (event only)" }),
  ),
});

export const MetadataBodySchema = Type.Object({
  update: Type.Optional(
    Type.Record(Type.String({ pattern: P.metadataKey }), Type.Unknown(), {
      additionalProperties: false,
      description: 'keys to add or modify; any valid JSON value of at most 100 KB',
    }),
  ),
  delete: Type.Optional(Type.Array(Str(P.metadataKey), { description: 'keys to delete', maxItems: 10000 })),
});

export const MetadataResponse = Type.Object({ metadata: Type.Record(Type.String(), Type.Unknown()) });

export function metadataFlags(query: unknown): MetadataFlags {
  const q = (query ?? {}) as Record<string, unknown>;
  return { noevent: q['noevent'] !== undefined, nostore: q['nostore'] !== undefined };
}

/** Spec 3.5 GET/POST /api/user/metadata; the logic is shared with object metadata (spec 3.12). */
export function registerUserMetadataRoutes(app: FastifyInstance, services: Deps): void {
  const { metadata } = services;

  app.get(
    '/api/user/metadata',
    {
      schema: {
        tags: ['user'],
        summary: "Get the metadata of the current session's user",
        querystring: MetadataQuerySchema,
        response: statusResponse({}, MetadataResponse),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return { metadata: await metadata.getUser(userId, request.query as MetadataQuery) };
    },
  );

  app.post(
    '/api/user/metadata',
    {
      schema: {
        tags: ['user'],
        summary: "Modify or delete metadata of the current session's user",
        querystring: MetadataFlagsSchema,
        body: MetadataBodySchema,
        response: statusResponse({ 'too-large': 'At least one metadata value is too big (100 KB maximum)' }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      await metadata.setUser(userId, request.body as MetadataUpdate, metadataFlags(request.query));
      return {};
    },
  );
}
