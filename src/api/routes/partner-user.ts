import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { PartnerUserChanges } from '../../services/partner-user-service.js';
import type { RawPageParams } from '../../domain/paging.js';
import { requirePartner } from '../plugins/session-auth.js';
import { P, statusResponse, Str, Uuid } from '../schemas/common.js';
import { pageFromQuery, PageParams } from '../schemas/paging.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'events' | 'partnerPhones' | 'partnerUsers'>;

const WRONG_USER = {
  'wrong-user': 'the given user-uuid does not exist or the user does not belong to the current partner',
};

const UserParams = Type.Object({ uuid: Uuid });

const PackList = Type.Array(Str(P.featurePack, 'feature pack name'), { maxItems: 100 });

const ModifyBody = Type.Object({
  country_code: Type.Optional(Str(P.countryCodePlus, 'the country code of the user')),
  ignore_ip_whitelisting: Type.Optional(Type.Boolean()),
  disabled: Type.Optional(Type.Boolean({ description: 'true disables the user, false enables it again' })),
  deleted: Type.Optional(Type.Literal(true, { description: 'permanently deletes the user' })),
  feature: Type.Optional(
    Type.Object({
      pack: Type.Optional(Type.Object({ add: Type.Optional(PackList), delete: Type.Optional(PackList) })),
    }),
  ),
});

const UserView = Type.Object({
  user: Type.Object({
    username: Type.String(),
    firstname: Type.String(),
    lastname: Type.String(),
    display_name: Type.String(),
    country_code: Type.String(),
    ignore_ip_whitelisting: Type.Boolean(),
    usergroup: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    language: Type.String(),
  }),
  phone: Type.Optional(
    Type.Record(Type.String(), Type.Record(Type.String(), Type.Union([Type.Boolean(), Type.String()]))),
  ),
  feature: Type.Object({ pack: Type.Array(Type.String()) }),
});

/** Partner control over its users (spec 9.1.1 /api/partner/user, /api/partner/recovery). */
export function registerPartnerUserRoutes(app: FastifyInstance, services: Deps): void {
  const { partnerUsers } = services;

  app.get(
    '/api/partner/user',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "List the partner's users",
        querystring: Type.Object(PageParams),
        response: statusResponse({}, Type.Object({ users: Type.Array(Uuid) })),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const page = pageFromQuery(request.query as RawPageParams, 50);
      return { users: await partnerUsers.list(partnerId, page) };
    },
  );

  app.get(
    '/api/partner/user/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "Get a partner's user",
        params: UserParams,
        response: statusResponse(WRONG_USER, UserView),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { uuid } = request.params as { uuid: string };
      const view = await partnerUsers.get(partnerId, uuid.toLowerCase());
      // spec 9.1.1: the `phone` section only for partners that control phone number assignments.
      const phone = await services.partnerPhones.userSection(partnerId, uuid.toLowerCase());
      return phone === undefined ? view : { user: view.user, phone, feature: view.feature };
    },
  );

  app.post(
    '/api/partner/user/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "Modify, disable, enable or permanently delete a partner's user",
        params: UserParams,
        body: ModifyBody,
        response: statusResponse(WRONG_USER),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const uuid = (request.params as { uuid: string }).uuid.toLowerCase();
      const result = await partnerUsers.modify(partnerId, uuid, request.body as PartnerUserChanges);
      // spec 7.1.3: the user's own sessions learn that their settings changed.
      if (result.changed) await services.events.publish({ users: [uuid] }, 'user_modify', {});
      return {};
    },
  );

  app.post(
    '/api/partner/recovery/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "Create a password recovery code for a partner's user",
        params: UserParams,
        response: statusResponse(WRONG_USER, Type.Object({ code: Type.String() })),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const uuid = (request.params as { uuid: string }).uuid.toLowerCase();
      return { code: await partnerUsers.recoveryCode(partnerId, uuid) };
    },
  );
}
