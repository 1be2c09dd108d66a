import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { SipAccountInput } from '../../services/sip-account-service.js';
import { requireUser } from '../plugins/session-auth.js';
import { statusResponse, Str } from '../schemas/common.js';

const WRONG_SIP = { 'wrong-sip': 'the SIP user does not match any of the user’s SIP accounts' };
const WRONG_DOMAIN = { 'wrong-domain': 'the specified domain is not a valid choice' };

const Fields = {
  password: Str('^.{5,50}$', 'a password for the account'),
  description: Type.Optional(Str('^.{0,100}$', 'a description text for the account')),
  domain: Type.Optional(
    Type.String({ description: 'the SIP domain of the account (one of the configured domains)' }),
  ),
};

const Params = Type.Object({
  sip: Type.String({ description: 'the SIP user, `^[a-z0-9]{2,20}_[0-9]{2}$`' }),
});

/** SIP accounts, configuration part (spec 3.21); contact/expire come with registration. */
export function registerSipRoutes(app: FastifyInstance, services: Services): void {
  const { sipAccounts } = services;

  app.post(
    '/api/sip',
    {
      schema: {
        tags: ['sip'],
        summary: 'Create a SIP account',
        body: Type.Object(Fields),
        response: statusResponse(
          {
            'quota-exceeded': 'the maximum number of SIP accounts for this user is reached',
            ...WRONG_DOMAIN,
          },
          Type.Object({ user: Type.String(), domain: Type.String() }),
        ),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return sipAccounts.create(userId, request.body as SipAccountInput & { password: string });
    },
  );

  app.get(
    '/api/sip',
    {
      schema: {
        tags: ['sip'],
        summary: "Get the user's SIP accounts",
        response: statusResponse(
          {},
          Type.Object({
            sip: Type.Record(
              Type.String(),
              Type.Object({
                domain: Type.String(),
                password: Type.String(),
                description: Type.Optional(Type.String()),
              }),
            ),
          }),
        ),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return { sip: await sipAccounts.list(userId) };
    },
  );

  app.post(
    '/api/sip/:sip',
    {
      schema: {
        tags: ['sip'],
        summary: 'Modify a SIP account',
        params: Params,
        body: Type.Object({ ...Fields, password: Type.Optional(Fields.password) }),
        response: statusResponse({ ...WRONG_SIP, ...WRONG_DOMAIN }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { sip } = request.params as { sip: string };
      await sipAccounts.modify(userId, sip, request.body as SipAccountInput);
      return {};
    },
  );

  app.delete(
    '/api/sip/:sip',
    {
      schema: {
        tags: ['sip'],
        summary: 'Delete a SIP account',
        params: Params,
        response: statusResponse(WRONG_SIP),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { sip } = request.params as { sip: string };
      await sipAccounts.remove(userId, sip);
      return {};
    },
  );
}
