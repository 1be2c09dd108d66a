import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EXTENSION_PATTERN } from '../../domain/policy/extension.js';
import type { Services } from '../../services/index.js';
import type { UsergroupFields } from '../../services/policy/usergroup-service.js';
import { requirePartner } from '../plugins/session-auth.js';
import { statusResponse, Str, Uuid } from '../schemas/common.js';
import {
  registerPartnerUsergroupCreditRoutes,
  UsergroupParams,
  WRONG_USERGROUP,
} from './partner-usergroup-credit.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'events' | 'policy'>;

const Fields = Type.Object({
  description: Type.Optional(Str('^.{0,200}$', 'the description for this usergroup')),
  prefix: Type.Optional(
    Type.Union([Type.Integer({ minimum: 0, maximum: 9 }), Str('^[0-9]$')], {
      description: 'the prefix for this usergroup, 0..9; 0 removes it',
    }),
  ),
});

// Generous but bounded: one request may not lock an unbounded number of rows.
const UserList = Type.Array(Uuid, { maxItems: 1000 });

/** Usergroups of a partner, their users, extensions and call limit (spec 9.1.6). */
export function registerPartnerUsergroupRoutes(app: FastifyInstance, services: Deps): void {
  const { usergroups, extensions, callLimits } = services.policy;
  const idOf = (params: unknown): string => (params as { uuid: string }).uuid.toLowerCase();
  /** spec 7.1.3: users whose `usergroup` field changed learn it. */
  const notify = async (users: string[]): Promise<void> => {
    if (users.length > 0) await services.events.publish({ users }, 'user_modify', {});
  };

  app.post(
    '/api/partner/usergroup',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Create a usergroup',
        body: Fields,
        response: statusResponse({}, Type.Object({ group_uuid: Uuid })),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      return { group_uuid: await usergroups.create(partnerId, request.body as UsergroupFields) };
    },
  );

  app.get(
    '/api/partner/usergroup',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "List the partner's usergroups",
        response: statusResponse(
          WRONG_USERGROUP,
          Type.Object({
            usergroups: Type.Record(
              Uuid,
              Type.Object({ description: Type.String(), prefix: Type.Optional(Type.Integer()) }),
            ),
          }),
        ),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      return { usergroups: await usergroups.list(partnerId) };
    },
  );

  app.post(
    '/api/partner/usergroup/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Update a usergroup (prefix 0 removes the prefix)',
        params: UsergroupParams,
        body: Fields,
        response: statusResponse(WRONG_USERGROUP),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { changedUsers } = await usergroups.update(
        partnerId,
        idOf(request.params),
        request.body as UsergroupFields,
      );
      await notify(changedUsers);
      return {};
    },
  );

  app.delete(
    '/api/partner/usergroup/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Delete a usergroup without users',
        params: UsergroupParams,
        response: statusResponse({
          ...WRONG_USERGROUP,
          'not-empty': 'the given usergroup uuid is not empty',
        }),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      await usergroups.delete(partnerId, idOf(request.params));
      return {};
    },
  );

  app.post(
    '/api/partner/usergroup/:uuid/user',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Add users to or delete them from a usergroup',
        params: UsergroupParams,
        body: Type.Object({
          users: Type.Object({ add: Type.Optional(UserList), delete: Type.Optional(UserList) }),
        }),
        response: statusResponse({
          ...WRONG_USERGROUP,
          'wrong-user': 'at least one of the users listed does not exist or does not belong to the partner',
          'already-grouped': 'at least one of the users listed in add is already in another usergroup',
        }),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { users } = request.body as { users: { add?: string[]; delete?: string[] } };
      const { changedUsers } = await usergroups.modifyMembers(
        partnerId,
        idOf(request.params),
        users.add ?? [],
        users.delete ?? [],
      );
      await notify(changedUsers);
      return {};
    },
  );

  app.get(
    '/api/partner/usergroup/:uuid/user',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'List the users of a usergroup',
        params: UsergroupParams,
        response: statusResponse(
          WRONG_USERGROUP,
          Type.Object({ usergroup: Type.Object({ users: Type.Array(Uuid) }) }),
        ),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      return { usergroup: { users: await usergroups.members(partnerId, idOf(request.params)) } };
    },
  );

  app.get(
    '/api/partner/usergroup/:uuid/extension',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Get the internal extensions of a usergroup',
        params: UsergroupParams,
        response: statusResponse(
          WRONG_USERGROUP,
          Type.Object({ extensions: Type.Record(Type.String({ pattern: EXTENSION_PATTERN }), Uuid) }),
        ),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      return { extensions: await extensions.list(partnerId, idOf(request.params)) };
    },
  );

  app.post(
    '/api/partner/usergroup/:uuid/extension',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Delete, then add internal extensions of a usergroup (targets must be members)',
        params: UsergroupParams,
        body: Type.Object({
          add: Type.Optional(
            Type.Record(Type.String({ pattern: EXTENSION_PATTERN }), Uuid, {
              additionalProperties: false,
              maxProperties: 1000,
            }),
          ),
          delete: Type.Optional(Type.Array(Str(EXTENSION_PATTERN, 'internal extension'), { maxItems: 1000 })),
        }),
        response: statusResponse({
          ...WRONG_USERGROUP,
          'wrong-user':
            'at least one user does not exist, does not belong to the partner or is not a member of the usergroup',
        }),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      await extensions.modify(partnerId, idOf(request.params), request.body);
      return {};
    },
  );

  app.get(
    '/api/partner/usergroup/:uuid/limit',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Get the concurrent call limit of a usergroup',
        params: UsergroupParams,
        response: statusResponse(
          { ...WRONG_USERGROUP, 'no-limit': 'the given usergroup does not have a concurrent call limit' },
          Type.Object({ limit: Type.Integer() }),
        ),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      return { limit: await callLimits.get(partnerId, idOf(request.params)) };
    },
  );

  app.post(
    '/api/partner/usergroup/:uuid/limit',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Set the concurrent call limit of a usergroup (0 blocks all calls)',
        params: UsergroupParams,
        // The spec gives the pattern ^[0-9]{1,3}$ and a number in its example: both forms are taken.
        body: Type.Object({
          limit: Type.Union([Type.Integer({ minimum: 0, maximum: 999 }), Str('^[0-9]{1,3}$')], {
            description: 'the new concurrent call limit, 0...999',
          }),
        }),
        response: statusResponse(WRONG_USERGROUP),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { limit } = request.body as { limit: number | string };
      await callLimits.set(partnerId, idOf(request.params), Number(limit));
      return {};
    },
  );

  app.delete(
    '/api/partner/usergroup/:uuid/limit',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'Delete the concurrent call limit of a usergroup',
        params: UsergroupParams,
        response: statusResponse(WRONG_USERGROUP),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      await callLimits.delete(partnerId, idOf(request.params));
      return {};
    },
  );

  registerPartnerUsergroupCreditRoutes(app, services);
}
