import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { requirePartner } from '../plugins/session-auth.js';
import { statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'policy'>;

export const WRONG_USERGROUP = {
  'wrong-usergroup': 'the given usergroup uuid does not exist or does not belong to the partner',
};

export const UsergroupParams = Type.Object({ uuid: Uuid });

const ZoneFilter = Type.Array(
  Type.Object({
    description: Type.Optional(Type.String()),
    prefix: Type.Array(Type.String()),
    cost: Type.Integer(),
  }),
  { description: 'up to 250 entries; cost in credits per minute; prefix "" matches every number' },
);

/** Credit (live counter in Redis) and zone filter of a usergroup (spec 9.1.6). */
export function registerPartnerUsergroupCreditRoutes(app: FastifyInstance, services: Deps): void {
  const { credits, zoneFilters } = services.policy;
  const idOf = (params: unknown): string => (params as { uuid: string }).uuid.toLowerCase();

  app.get(
    '/api/partner/usergroup/credit',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "List the credits of the partner's usergroups, optionally within min...max",
        querystring: Type.Object({
          min: Type.Optional(Str('^[0-9]+$', 'only usergroups with at least min credits (>= 0, < max)')),
          max: Type.Optional(Str('^[0-9]+$', 'only usergroups with at most max credits (>= 0, > min)')),
        }),
        response: statusResponse({}, Type.Object({ credits: Type.Record(Uuid, Type.Integer()) })),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      return { credits: await credits.list(partnerId, request.query as { min?: string; max?: string }) };
    },
  );

  app.post(
    '/api/partner/usergroup/:uuid/credit',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Add credits to or subtract them from a usergroup',
        params: UsergroupParams,
        // At least one of add/subtract; checked with the amounts by the domain rules.
        body: Type.Object({
          add: Type.Optional(Type.Integer({ description: 'the amount of credits to add' })),
          subtract: Type.Optional(Type.Integer({ description: 'the amount of credits to subtract' })),
        }),
        response: statusResponse(WRONG_USERGROUP),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      await credits.modify(partnerId, idOf(request.params), request.body);
      return {};
    },
  );

  app.get(
    '/api/partner/usergroup/:uuid/credit',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Get the credits left for a usergroup',
        params: UsergroupParams,
        response: statusResponse(
          { ...WRONG_USERGROUP, 'no-credit': 'the given usergroup does not have credits configured' },
          Type.Object({ credit: Type.Integer() }),
        ),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      return { credit: await credits.get(partnerId, idOf(request.params)) };
    },
  );

  app.delete(
    '/api/partner/usergroup/:uuid/credit',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Delete the credit of a usergroup (its calls are no longer charged)',
        params: UsergroupParams,
        response: statusResponse(WRONG_USERGROUP),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      await credits.delete(partnerId, idOf(request.params));
      return {};
    },
  );

  app.post(
    '/api/partner/usergroup/:uuid/zonefilter',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Set the zone filter of a usergroup',
        params: UsergroupParams,
        // Entries are checked by the domain parser (statuses empty-filter, too-large, wrong-syntax).
        body: Type.Object({ zonefilter: Type.Unknown() }),
        response: statusResponse({
          ...WRONG_USERGROUP,
          'too-large': 'the given zone filter exceeds the limit of 250 entries',
          'empty-filter': 'the given zone filter has no entry',
        }),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { zonefilter } = request.body as { zonefilter: unknown };
      await zoneFilters.set(partnerId, idOf(request.params), zonefilter);
      return {};
    },
  );

  app.get(
    '/api/partner/usergroup/:uuid/zonefilter',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Get the zone filter of a usergroup',
        params: UsergroupParams,
        response: statusResponse(
          { ...WRONG_USERGROUP, 'empty-filter': 'the given usergroup does not have a zone filter' },
          Type.Object({ zonefilter: ZoneFilter }),
        ),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      return { zonefilter: await zoneFilters.get(partnerId, idOf(request.params)) };
    },
  );

  app.delete(
    '/api/partner/usergroup/:uuid/zonefilter',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Delete the zone filter of a usergroup',
        params: UsergroupParams,
        response: statusResponse(WRONG_USERGROUP),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      await zoneFilters.delete(partnerId, idOf(request.params));
      return {};
    },
  );
}
