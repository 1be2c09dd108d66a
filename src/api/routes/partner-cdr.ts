import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CDR_SERVICES } from '../../domain/cdr/cdr.js';
import { parseCdrQuery } from '../../domain/cdr/cdr-query.js';
import { PagingError, type RawPageParams } from '../../domain/paging.js';
import type { Services } from '../../services/index.js';
import { ServiceError } from '../../errors/index.js';
import { requirePartner } from '../plugins/session-auth.js';
import { statusResponse, Uuid } from '../schemas/common.js';
import { PageParams } from '../schemas/paging.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'cdrs'>;

const CdrEntry = Type.Object(
  {
    phone: Type.String({ description: 'the number (or SIP account) the CDR is filed under' }),
    id: Uuid,
    date: Type.Integer({ description: 'when the call was initiated, ms since epoch' }),
    service: Type.Union(CDR_SERVICES.map((s) => Type.Literal(s))),
    a_number: Type.Optional(
      Type.String({ description: 'incoming calls: the calling number or SIP account' }),
    ),
    b_number: Type.Optional(Type.String({ description: 'outgoing calls: the called number or SIP account' })),
    parent: Type.Optional(Uuid),
    root: Type.Optional(Uuid),
    fax_id: Type.Optional(Uuid),
    recording_id: Type.Optional(Uuid),
    conference_id: Type.Optional(Uuid),
    page_count: Type.Optional(Type.Integer({ description: 'fax: pages sent or received' })),
    t_pre: Type.Integer({ description: 'seconds before answer' }),
    t_post: Type.Integer({ description: 'seconds after answer' }),
  },
  { description: 'optional fields are absent, never null' },
);

const Query = Type.Object({
  ...PageParams,
  start: Type.Optional(
    Type.String({ description: 'id of the CDR before the first one returned (exclusive)' }),
  ),
  count: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,5}$', description: 'number of CDRs, 1...5000, default 10' }),
  ),
});

/** The partner's call detail records per phone (spec 9.1.4 GET /api/partner/cdr/(phone)). */
export function registerPartnerCdrRoutes(app: FastifyInstance, services: Deps): void {
  // The static GET /api/partner/cdr/event (event-subscription.ts) wins over
  // this parametric route in Fastify's router, so `event` is never a phone.
  app.get(
    '/api/partner/cdr/:phone',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: 'List the call detail records of a phone number of the partner',
        params: Type.Object({
          phone: Type.String({
            maxLength: 64,
            description: 'the phone number (E.164, `+` literal or as %2B) or SIP account',
          }),
        }),
        querystring: Query,
        response: statusResponse(
          { 'wrong-phone': 'The given phone number was not assigned by the partner or does not exist' },
          Type.Object({ cdr: Type.Array(CdrEntry) }),
        ),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { phone } = request.params as { phone: string };
      let query;
      try {
        query = parseCdrQuery(request.query as RawPageParams);
      } catch (err) {
        if (err instanceof PagingError) throw new ServiceError('wrong-syntax', err.message);
        throw err;
      }
      return { cdr: await services.cdrs.listForPartner(partnerId, phone, query) };
    },
  );
}
