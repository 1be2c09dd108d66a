import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { PartnerPhoneRequest } from '../../services/partner-phone-service.js';
import { ServiceError } from '../../errors/index.js';
import { requirePartner } from '../plugins/session-auth.js';
import { statusResponse, Str, Uuid } from '../schemas/common.js';
import { FlagProps, PHONE_PATTERN, PhoneNumber } from './phone.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'partnerPhones'>;

const Entry = Type.Object(
  {
    ...FlagProps,
    p_asserted_identity: Type.Optional(
      Type.Union([PhoneNumber, Type.Null()], {
        description: 'number used for billing and law issues; null removes it',
      }),
    ),
  },
  { additionalProperties: false },
);
const Section = Type.Record(Type.String({ pattern: PHONE_PATTERN }), Entry, { additionalProperties: false });

const Body = Type.Object({
  create: Type.Optional(Section),
  update: Type.Optional(Section),
  delete: Type.Optional(Type.Array(PhoneNumber, { maxItems: 1000 })),
});

const ListQuery = Type.Object({
  start: Type.Optional(Str(PHONE_PATTERN, 'the phone number before the first one returned (exclusive)')),
  count: Type.Optional(Str('^([1-9][0-9]{0,2})$', 'max. numbers to return (1...500, default 50)')),
});

/** Partner control over its users' phone numbers (spec 9.1.2 /api/partner/phone). */
export function registerPartnerPhoneRoutes(app: FastifyInstance, services: Deps): void {
  app.get(
    '/api/partner/phone',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "List the phone numbers of the partner's users",
        querystring: ListQuery,
        response: statusResponse({}, Type.Object({ phones: Type.Record(Type.String(), Type.String()) })),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const q = request.query as { start?: string; count?: string };
      const count = q.count === undefined ? 50 : Number(q.count);
      if (count > 500) throw new ServiceError('wrong-syntax', 'count is 1...500');
      return { phones: await services.partnerPhones.list(partnerId, q.start, count) };
    },
  );

  app.post(
    '/api/partner/phone/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "Create, modify and delete a partner's user's phone numbers",
        params: Type.Object({ uuid: Uuid }),
        body: Body,
        response: statusResponse({
          'wrong-user': 'the user does not exist or does not belong to the current partner',
          'wrong-phone': 'a number in the update or delete section does not belong to this user',
          'phone-duplicate': 'a number to create is already assigned to some user',
          'phone-forbidden': 'the partner may not control phone number assignments',
        }),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const uuid = (request.params as { uuid: string }).uuid.toLowerCase();
      await services.partnerPhones.modify(partnerId, uuid, request.body as PartnerPhoneRequest);
      return {};
    },
  );
}
