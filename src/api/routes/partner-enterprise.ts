import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { EnterpriseFields } from '../../services/policy/enterprise-service.js';
import { requirePartner } from '../plugins/session-auth.js';
import { statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'policy'>;

const WRONG_ENTERPRISE = {
  'wrong-enterprise': 'the given enterprise uuid does not exist or does not belong to the partner',
};

const Params = Type.Object({ uuid: Uuid });

const Fields = Type.Object({
  description: Type.Optional(Str('^.{0,200}$', 'the description for this enterprise')),
  group_prefix_enable: Type.Optional(
    Type.Boolean({ description: 'enable the usergroups prefix for internal extensions (default: false)' }),
  ),
});

// Generous but bounded: one request may not lock an unbounded number of rows.
const GroupList = Type.Array(Uuid, { maxItems: 1000 });

/** Enterprises of a partner (spec 9.1.7 /api/partner/enterprise). */
export function registerPartnerEnterpriseRoutes(app: FastifyInstance, services: Deps): void {
  const { enterprises } = services.policy;

  app.post(
    '/api/partner/enterprise',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Create an enterprise',
        body: Fields,
        response: statusResponse({}, Type.Object({ enterprise_uuid: Uuid })),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      return { enterprise_uuid: await enterprises.create(partnerId, request.body as EnterpriseFields) };
    },
  );

  app.get(
    '/api/partner/enterprise',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "List the partner's enterprises",
        response: statusResponse(
          {},
          Type.Object({
            enterprises: Type.Record(
              Uuid,
              Type.Object({ description: Type.String(), group_prefix_enable: Type.Boolean() }),
            ),
          }),
        ),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      return { enterprises: await enterprises.list(partnerId) };
    },
  );

  app.post(
    '/api/partner/enterprise/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Update an enterprise',
        params: Params,
        body: Fields,
        response: statusResponse(WRONG_ENTERPRISE),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { uuid } = request.params as { uuid: string };
      await enterprises.update(partnerId, uuid, request.body as EnterpriseFields);
      return {};
    },
  );

  app.delete(
    '/api/partner/enterprise/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Delete an empty enterprise',
        params: Params,
        response: statusResponse({
          ...WRONG_ENTERPRISE,
          'not-empty': 'the given enterprise uuid is not empty',
        }),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { uuid } = request.params as { uuid: string };
      await enterprises.delete(partnerId, uuid);
      return {};
    },
  );

  app.post(
    '/api/partner/enterprise/:uuid/usergroup',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Add usergroups to or delete them from an enterprise',
        params: Params,
        body: Type.Object({
          usergroups: Type.Object({
            add: Type.Optional(GroupList),
            delete: Type.Optional(GroupList),
          }),
        }),
        response: statusResponse({
          ...WRONG_ENTERPRISE,
          'wrong-usergroup':
            'at least one of the usergroups listed does not exist or does not belong to the partner',
          'already-grouped': 'at least one of the usergroups listed in add is already in another enterprise',
        }),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { uuid } = request.params as { uuid: string };
      const { usergroups } = request.body as { usergroups: { add?: string[]; delete?: string[] } };
      await enterprises.modifyUsergroups(partnerId, uuid, usergroups.add ?? [], usergroups.delete ?? []);
      return {};
    },
  );
}
