import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { DialplanV1Change } from '../../services/dialplan-v1-service.js';
import { requireUser } from '../plugins/session-auth.js';
import { P, statusResponse, Str } from '../schemas/common.js';
import { PHONE_PATTERN, PhoneNumber } from './phone.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'dialplanV1'>;

const SIP_PATTERN = '^[a-z0-9]{2,20}_[0-9]{2}$';
const SipName = Str(SIP_PATTERN, 'SIP account of the user');
/** spec 4.2: `phone`/`to` of call-through and callback, anchored as intended. */
const TARGET_PATTERN = '^([a-zA-Z0-9]{2,20}|\\+[0-9]{3,20})$';
/** An empty string deletes the field (spec 4.2). */
const orEmpty = (pattern: string): string => `^(|${pattern.slice(1, -1)})$`;
const Deletable = (pattern: string, description: string): TSchema =>
  Str(orEmpty(pattern), `${description}; "" deletes it`);

const Action = (withNone: boolean): TSchema =>
  Type.Union(
    (withNone
      ? ['none', 'redirect', 'reject', 'sip', 'record']
      : ['redirect', 'reject', 'sip', 'record']
    ).map((a) => Type.Literal(a)),
  );
const subAction = (withNone: boolean, withTimeout: boolean): TSchema =>
  Type.Object(
    {
      ...(withTimeout
        ? { timeout: Type.Integer({ minimum: 1, maximum: 3600, description: 'seconds' }) }
        : {}),
      action: Action(withNone),
      phone: Type.Optional(PhoneNumber),
      sip: Type.Optional(SipName),
    },
    { additionalProperties: false },
  );

const Body = Type.Object(
  {
    announcement: Type.Optional(Deletable(P.uuid, 'announcement played while connecting')),
    mix_ringtone: Type.Optional(Type.Boolean()),
    clip_number: Type.Optional(Deletable(PHONE_PATTERN, 'custom CLIP number')),
    dial_prefix: Type.Optional(Deletable(PHONE_PATTERN, 'prefix for quick dialing')),
    clir_enable: Type.Optional(Type.Boolean()),
    cti_via: Type.Optional(Deletable(PHONE_PATTERN, "the user's number that receives callback calls")),
    action: Type.Optional(Action(true)),
    phone: Type.Optional(Deletable(PHONE_PATTERN, 'target of action redirect')),
    sip: Type.Optional(Deletable(SIP_PATTERN, 'target of action sip')),
    phone_pool: Type.Optional(
      Type.Object(
        {
          add: Type.Optional(
            Type.Record(Type.String({ pattern: PHONE_PATTERN }), Type.Boolean(), {
              additionalProperties: false,
            }),
          ),
          delete: Type.Optional(Type.Array(PhoneNumber, { maxItems: 1000 })),
        },
        { additionalProperties: false },
      ),
    ),
    sip_pool: Type.Optional(
      Type.Object(
        {
          add: Type.Optional(Type.Array(SipName, { maxItems: 100 })),
          delete: Type.Optional(Type.Array(SipName, { maxItems: 100 })),
        },
        { additionalProperties: false },
      ),
    ),
    callreverse_enable: Type.Optional(Type.Boolean()),
    // spec 4.2: "In the case of timeout or unavailable, the action none is not possible."
    timeout: Type.Optional(subAction(false, true)),
    unavailable: Type.Optional(subAction(false, false)),
    busy: Type.Optional(subAction(true, false)),
  },
  { additionalProperties: false },
);

const View = Type.Object({}, { additionalProperties: true });

/** The user's dialplan v1 and its call functions (spec 4.2 /api/dialplan). */
export function registerDialplanV1Routes(app: FastifyInstance, services: Deps): void {
  const tags = ['dialplan'];
  app.get(
    '/api/dialplan',
    { schema: { tags, summary: "Get the user's dialplan", response: statusResponse({}, View) } },
    async (request) => services.dialplanV1.get(requireUser(request).userId),
  );

  app.post(
    '/api/dialplan',
    {
      schema: {
        tags,
        summary: "Modify the user's dialplan",
        body: Body,
        response: statusResponse({
          'wrong-announcement': 'the announcement is not accessible by the current user',
          'wrong-sip': "the SIP account is not one of the current user's SIP accounts",
        }),
      },
    },
    async (request) => {
      await services.dialplanV1.modify(requireUser(request).userId, request.body as DialplanV1Change);
      return {};
    },
  );

  app.post(
    '/api/dialplan/callthrough',
    {
      schema: {
        tags,
        summary: 'Start (or, without phone, clear) a call-through process',
        body: Type.Object(
          {
            phone: Type.Optional(Str(TARGET_PATTERN, 'the target to connect')),
            filter: Type.Optional(Str(PHONE_PATTERN, 'the caller that triggers the call-through')),
          },
          { additionalProperties: false },
        ),
        response: statusResponse({}),
      },
    },
    async (request) => {
      await services.dialplanV1.callthrough(
        requireUser(request).userId,
        request.body as { phone?: string; filter?: string },
      );
      return {};
    },
  );

  app.post(
    '/api/dialplan/callback',
    {
      schema: {
        tags,
        summary: 'Initiate a callback call (via cti_via)',
        body: Type.Object(
          { from: Str(PHONE_PATTERN, 'the originating number'), to: Str(TARGET_PATTERN, 'the destination') },
          { additionalProperties: false },
        ),
        response: statusResponse({
          'wrong-phone': "from is not one of the user's numbers with dialplan_enable set",
          'no-via': "no cti_via is set in the user's dialplan",
          'access-denied': 'the user may not use the callback feature',
        }),
      },
    },
    async (request) => {
      await services.dialplanV1.callback(
        requireUser(request).userId,
        request.body as { from: string; to: string },
      );
      return {};
    },
  );

  app.post(
    '/api/dialplan/callreverse',
    {
      schema: {
        tags,
        summary: 'Set the filter of the ongoing call-reverse process',
        body: Type.Object(
          { filter: Str(PHONE_PATTERN, 'the caller to connect') },
          { additionalProperties: false },
        ),
        response: statusResponse({ 'no-callreverse': 'there is no active call-reverse process' }),
      },
    },
    async (request) => {
      await services.dialplanV1.callreverse(
        requireUser(request).userId,
        (request.body as { filter: string }).filter,
      );
      return {};
    },
  );
}
