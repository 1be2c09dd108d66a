import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { SipAccountInput } from '../../services/sip-account-service.js';
import { requireUser } from '../plugins/session-auth.js';
import { statusResponse, Str } from '../schemas/common.js';
import { PHONE_PATTERN } from './phone.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'sipAccounts' | 'sipBlf' | 'sipNotify'>;

const WRONG_SIP = { 'wrong-sip': 'the SIP user does not match any of the user’s SIP accounts' };
const WRONG_DOMAIN = { 'wrong-domain': 'the specified domain is not a valid choice' };

const Fields = {
  password: Str('^.{5,50}$', 'a password for the account'),
  description: Type.Optional(Str('^.{0,100}$', 'a description text for the account')),
  domain: Type.Optional(
    Type.String({ description: 'the SIP domain of the account (one of the configured domains)' }),
  ),
};

const Numbers = Type.Optional(
  Type.Array(Str(PHONE_PATTERN, 'phone number in E.164 format'), { maxItems: 1000 }),
);

const Params = Type.Object({
  sip: Type.String({ description: 'the SIP user, `^[a-z0-9]{2,20}_[0-9]{2}$`' }),
});

/** SIP accounts (spec 3.21): configuration, registrations, custom NOTIFYs and busy lamp field. */
export function registerSipRoutes(app: FastifyInstance, services: Deps): void {
  const { sipAccounts, sipNotify, sipBlf } = services;

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
                contact: Type.Optional(
                  Type.String({ description: '`ip:port` of the active registration, when there is one' }),
                ),
                expire: Type.Optional(
                  Type.Integer({ description: 'expiry of that registration, seconds since epoch' }),
                ),
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

  app.post(
    '/api/sip/:sip/notify',
    {
      schema: {
        tags: ['sip'],
        summary: 'Send a custom NOTIFY to the devices registered with a SIP account',
        params: Params,
        body: Type.Object({
          'event-string': Str('^.{0,200}$', 'the event-string used in the generated notify'),
          'content-type': Str('^.{0,200}$', 'the content-type for the generated notify'),
          content: Type.Optional(Str('^.{0,2500}$', 'the content set in the generated notify')),
        }),
        response: statusResponse({
          'wrong-sip': 'the SIP user / account does not exist',
          'not-registered':
            'the SIP user / account is not registered, or none of its registered devices answered ' +
            'the NOTIFY within SIP_NOTIFY_TIMEOUT_MS (default 4 s); `ok` means a device answered',
        }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { sip } = request.params as { sip: string };
      const body = request.body as { 'event-string': string; 'content-type': string; content?: string };
      await sipNotify.notify(userId, sip, {
        event: body['event-string'],
        contentType: body['content-type'],
        content: body.content ?? '',
      });
      return {};
    },
  );

  app.get(
    '/api/sip/:sip/blf',
    {
      schema: {
        tags: ['sip'],
        summary: 'Get the busy lamp field subscriptions of a SIP account',
        params: Params,
        response: statusResponse(
          { 'wrong-sip': 'the SIP user / account does not exist' },
          Type.Object({
            subscriptions: Type.Array(Type.String(), {
              description: 'watched numbers, without the leading +',
            }),
          }),
        ),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { sip } = request.params as { sip: string };
      return { subscriptions: await sipBlf.list(userId, sip) };
    },
  );

  app.post(
    '/api/sip/:sip/blf',
    {
      schema: {
        tags: ['sip'],
        summary: 'Change the busy lamp field subscriptions of a SIP account',
        params: Params,
        body: Type.Object({ subscribe: Numbers, unsubscribe: Numbers }),
        response: statusResponse({
          'wrong-sip': 'the SIP user / account does not exist',
          'wrong-phone': 'at least one phone number does not exist',
          'access-denied':
            'the user is not member of a usergroup, or an owner of a given number is not in the same usergroup',
        }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { sip } = request.params as { sip: string };
      await sipBlf.change(userId, sip, request.body as { subscribe?: string[]; unsubscribe?: string[] });
      return {};
    },
  );
}
