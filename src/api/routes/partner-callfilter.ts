import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { requirePartner } from '../plugins/session-auth.js';
import { statusResponse, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'policy'>;

const WRONG_USER = {
  'wrong-user': 'the given user-uuid does not exist or the user does not belong to the current partner',
};

const Params = Type.Object({ uuid: Uuid });

const CallFilter = Type.Unknown({
  description:
    'an array of operators (replace, match, service) and nested arrays, or one operator; ' +
    'at most 250 operators (spec 9.1.3)',
});

/** Call filters of a partner's users (spec 9.1.3 /api/partner/callfilter). */
export function registerPartnerCallFilterRoutes(app: FastifyInstance, services: Deps): void {
  const { callFilters } = services.policy;
  const idOf = (params: unknown): string => (params as { uuid: string }).uuid.toLowerCase();

  app.post(
    '/api/partner/callfilter/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "Set a user's call filter",
        params: Params,
        body: Type.Object({ callfilter: CallFilter }),
        response: statusResponse({
          ...WRONG_USER,
          'too-large': 'the given call filter exceeds the limit of 250 operators',
          'empty-filter': 'the given call filter contains no operator',
        }),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { callfilter } = request.body as { callfilter: unknown };
      await callFilters.set(partnerId, idOf(request.params), callfilter);
      return {};
    },
  );

  app.get(
    '/api/partner/callfilter/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "Get a user's call filter",
        params: Params,
        response: statusResponse(
          { ...WRONG_USER, 'empty-filter': 'the given user does not have a call filter' },
          Type.Object({ callfilter: CallFilter }),
        ),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      return { callfilter: await callFilters.get(partnerId, idOf(request.params)) };
    },
  );

  app.delete(
    '/api/partner/callfilter/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "Delete a user's call filter",
        params: Params,
        response: statusResponse(WRONG_USER),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      await callFilters.delete(partnerId, idOf(request.params));
      return {};
    },
  );
}
