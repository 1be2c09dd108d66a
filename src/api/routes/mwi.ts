import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { MWI_PHONE_PATTERN, MWI_URI_PATTERN } from '../../domain/mwi/mwi-uri.js';
import type { Services } from '../../services/index.js';
import { requireUser } from '../plugins/session-auth.js';
import { statusResponse, Str } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'mwi'>;

const DENIED = {
  'access-denied': 'The user does not have special permissions required for this API call (mwi)',
};
const WRONG_PHONE = { 'wrong-phone': 'The given phone number is not known to the system' };
const PhoneParam = Type.Object({
  phone: Type.String({ description: 'the phone number, e.g. +4940382738473' }),
});

/**
 * Message waiting indication URI mappings (spec 13.1.2): the SIP URI that
 * receives a number's message-summary NOTIFYs (RFC 3842). Only for users with
 * the special `mwi` permission (`callplane admin user set-permission`).
 */
export function registerMwiRoutes(app: FastifyInstance, services: Deps): void {
  const { mwi } = services;
  app.get(
    '/api/mwi/:phone',
    {
      schema: {
        tags: ['mwi'],
        summary: 'Get the message waiting indication URI (MWI) mapping of a phone number',
        description: 'Without a mapping the answer has no `mwi_uri`.',
        params: PhoneParam,
        response: statusResponse(
          { ...DENIED, ...WRONG_PHONE },
          Type.Object({
            mwi_uri: Type.Optional(Type.String({ description: 'the MWI URI, sip:<user>@<host>' })),
          }),
        ),
      },
    },
    async (request) => mwi.get(requireUser(request).userId, (request.params as { phone: string }).phone),
  );
  app.post(
    '/api/mwi',
    {
      schema: {
        tags: ['mwi'],
        summary: 'Modify the message waiting indication URI (MWI) mapping of one or more phone numbers',
        description:
          '`phone-ok` lists the numbers whose mapping was updated, `phone-fail` those unknown to the system.',
        body: Type.Record(
          Str(MWI_PHONE_PATTERN, 'the phone number to modify the MWI for'),
          Str(MWI_URI_PATTERN, 'the MWI URI (target for SIP NOTIFY messages), sip:<user>@<host>'),
          { description: 'phone number -> MWI URI' },
        ),
        response: statusResponse(
          DENIED,
          Type.Object({
            'phone-ok': Type.Array(Type.String(), { description: 'numbers whose mapping was updated' }),
            'phone-fail': Type.Array(Type.String(), { description: 'numbers unknown to the system' }),
          }),
        ),
      },
    },
    async (request) => mwi.set(requireUser(request).userId, request.body as Record<string, string>),
  );
  app.delete(
    '/api/mwi/:phone',
    {
      schema: {
        tags: ['mwi'],
        summary: 'Delete the message waiting indication URI (MWI) mapping of a phone number',
        params: PhoneParam,
        response: statusResponse({ ...DENIED, ...WRONG_PHONE }),
      },
    },
    async (request) => {
      await mwi.delete(requireUser(request).userId, (request.params as { phone: string }).phone);
      return {};
    },
  );
}
