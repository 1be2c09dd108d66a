import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { IVR_DIGITS, type Ivr } from '../../services/ivr-service.js';
import { requireUser } from '../plugins/session-auth.js';
import { PageParams, pageFromQuery } from '../schemas/paging.js';
import { P, statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'events' | 'ivrs'>;

// spec 5.1 element formats.
const E164 = '^\\+[0-9]{3,20}$';
const Digit = Str(`${P.uuid}|${E164}`, 'an IVR UUID to run, or a phone number to redirect to');
const digits: Record<string, TSchema> = Object.fromEntries(IVR_DIGITS.map((d) => [d, Type.Optional(Digit)]));

const Body = Type.Object(
  {
    description: Str('^.{1,200}$', 'a user-given description'),
    announcement: Uuid,
    ...digits,
    other: Type.Optional(Str(`^repeat$|${E164}`, 'on an unspecified DTMF: `repeat` or a phone number')),
    timeout: Type.Optional(
      Type.Object(
        {
          seconds: Type.Integer({ minimum: 1 }),
          action: Type.Union([Type.Literal('repeat'), Type.Literal('call'), Type.Literal('play')]),
          phone: Type.Optional(Str(E164, 'required when action is `call`')),
          announcement: Type.Optional(Type.Union([Uuid], { description: 'required when action is `play`' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const Params = Type.Object({ uuid: Uuid });
const WRONG_IVR = { 'wrong-ivr': 'the IVR does not exist or does not belong to the user' };
const WRONG_ANN = {
  'wrong-announcement': 'the announcement is not a valid announcement accessible from the user',
};

/** Interactive voice response (spec 5.1). */
export function registerIvrRoutes(app: FastifyInstance, services: Deps): void {
  const { ivrs } = services;

  app.post(
    '/api/ivr',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Create an IVR',
        body: Body,
        response: statusResponse({ ...WRONG_IVR, ...WRONG_ANN }, Type.Object({ uuid: Type.String() })),
      },
    },
    async (request) => ({ uuid: await ivrs.create(requireUser(request).userId, request.body as Ivr) }),
  );

  app.post(
    '/api/ivr/:uuid',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Update an IVR',
        params: Params,
        body: Body,
        response: statusResponse({ ...WRONG_IVR, ...WRONG_ANN }),
      },
    },
    async (request) => {
      const { uuid } = request.params as { uuid: string };
      await ivrs.update(requireUser(request).userId, uuid, request.body as Ivr);
      return {};
    },
  );

  app.get(
    '/api/ivr',
    {
      schema: {
        tags: ['ivr'],
        summary: "List the user's IVRs",
        querystring: Type.Object(PageParams),
        response: statusResponse(
          {},
          Type.Object({ ivr: Type.Array(Type.Object({ description: Type.String(), uuid: Type.String() })) }),
        ),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const page = pageFromQuery(request.query as Record<string, string | undefined>, 30);
      return { ivr: await ivrs.list(userId, page) };
    },
  );

  app.get(
    '/api/ivr/:uuid',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Get an IVR exactly as it was sent',
        params: Params,
        response: statusResponse(WRONG_IVR, Type.Object({ ivr: Type.Unknown() })),
      },
    },
    async (request) => {
      const { uuid } = request.params as { uuid: string };
      return { ivr: await ivrs.get(requireUser(request).userId, uuid) };
    },
  );

  app.delete(
    '/api/ivr/:uuid',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Delete an IVR',
        params: Params,
        response: statusResponse(WRONG_IVR),
      },
    },
    async (request) => {
      const { uuid } = request.params as { uuid: string };
      const { userId } = requireUser(request);
      // spec 7.3.1: the phone configuration changed when the IVR was in use.
      if (await ivrs.remove(userId, uuid))
        await services.events.publish({ users: [userId] }, 'phone_modify', {});
      return {};
    },
  );
}
