import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { EMERGENCY_PATTERNS } from '../../domain/policy/emergency.js';
import { requirePartner } from '../plugins/session-auth.js';
import { statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'policy'>;

const WRONG_USER = {
  'wrong-user': 'the given user-uuid does not exist or the user does not belong to the current partner',
};

const Params = Type.Object({ uuid: Uuid });

const Fields = {
  uui_header: Type.Optional(Str(EMERGENCY_PATTERNS.uui_header, 'the user-to-user information for this user')),
  emergency_police: Type.Optional(
    Str(EMERGENCY_PATTERNS.emergency_police, 'the police control centre number in german emergency encoding'),
  ),
  emergency_rescue: Type.Optional(
    Str(EMERGENCY_PATTERNS.emergency_rescue, 'the rescue control centre number in german emergency encoding'),
  ),
};

/** Emergency-call data of a partner's users (spec 9.1.5 /api/partner/emergency). */
export function registerPartnerEmergencyRoutes(app: FastifyInstance, services: Deps): void {
  const { emergency } = services.policy;

  app.get(
    '/api/partner/emergency/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "Get a user's emergency-call information (only the fields that are set)",
        params: Params,
        response: statusResponse(WRONG_USER, Type.Object(Fields)),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { uuid } = request.params as { uuid: string };
      return emergency.get(partnerId, uuid.toLowerCase());
    },
  );

  app.post(
    '/api/partner/emergency/:uuid',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "Update a user's emergency-call information; an empty value deletes a field",
        params: Params,
        body: Type.Object(Fields),
        response: statusResponse(WRONG_USER),
      },
    },
    async (request) => {
      const { partnerId } = requirePartner(request);
      const { uuid } = request.params as { uuid: string };
      await emergency.update(partnerId, uuid.toLowerCase(), request.body);
      return {};
    },
  );
}
