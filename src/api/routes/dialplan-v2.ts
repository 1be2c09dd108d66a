import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { DialplanV2 } from '../../services/dialplan-v2-service.js';
import { requireUser } from '../plugins/session-auth.js';
import { statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'dialplansV2'>;

// spec 4.1 element formats.
const TARGET = '^\\+[0-9]{3,20}$|^[a-z0-9]{2,20}_[0-9]{2}$';
const DATE = Str('^[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$', 'dd.MM.yyyy');
const TIME = Str('^([01][0-9]|2[0-3]):[0-5][0-9]$', 'hh:mm (UTC)');
const strict = { additionalProperties: false };

const Timeout = Type.Optional(
  Type.Integer({ description: 'seconds; lower than 1 rings until the network gives up' }),
);
const TimedTargets = Type.Array(Type.Object({ target: Str(TARGET), timeout: Timeout }, strict), {
  minItems: 1,
  maxItems: 100,
});

const Profile = Type.Object(
  {
    filter: Type.Optional(
      Type.Object(
        {
          caller: Type.Optional(Type.String({ maxLength: 500, description: 'RE2 regular expression' })),
          time: Type.Optional(
            Type.Object(
              {
                weekdays: Type.Optional(
                  Type.Array(
                    Type.Union(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((d) => Type.Literal(d))),
                    {
                      maxItems: 7,
                    },
                  ),
                ),
                date: Type.Optional(DATE),
                date_start: Type.Optional(DATE),
                date_end: Type.Optional(DATE),
                time_start: Type.Optional(TIME),
                time_end: Type.Optional(TIME),
              },
              strict,
            ),
          ),
        },
        strict,
      ),
    ),
    reject: Type.Optional(Type.Object({}, strict)),
    record: Type.Optional(Type.Object({ announcement: Type.Optional(Uuid) }, strict)),
    parallel: Type.Optional(
      Type.Object(
        { timeout: Timeout, targets: Type.Array(Str(TARGET), { minItems: 1, maxItems: 100 }) },
        strict,
      ),
    ),
    linear: Type.Optional(Type.Object({ timeout: Timeout, targets: TimedTargets }, strict)),
    cyclic: Type.Optional(Type.Object({ timeout: Timeout, targets: TimedTargets }, strict)),
  },
  strict,
);

const Dialplan = Type.Object(
  {
    description: Type.Optional(Str('^.{0,200}$', 'a short description')),
    ringtone: Type.Optional(
      Type.Object({ announcement: Type.Optional(Uuid), mix: Type.Optional(Type.Boolean()) }, strict),
    ),
    profiles: Type.Optional(Type.Array(Profile, { maxItems: 100, description: 'evaluated first to last' })),
  },
  strict,
);

const Body = Type.Object({ dialplan: Dialplan });
const Params = Type.Object({ uuid: Uuid });
const WRONG_DIALPLAN = {
  'wrong-dialplan': 'the UUID does not match a dialplan accessible by the current user',
};
const WRONG_REFS = {
  'wrong-announcement': 'this announcement is not a valid announcement accessible from the user',
  'wrong-sip': 'a SIP target is not one of the user’s SIP accounts',
};

/** Dialplan v2 (spec 4.1). */
export function registerDialplanV2Routes(app: FastifyInstance, services: Deps): void {
  const { dialplansV2 } = services;

  app.get(
    '/api/dialplan/v2',
    {
      schema: {
        tags: ['dialplan'],
        summary: "List the user's dialplans",
        response: statusResponse(
          {},
          Type.Object({
            dialplan: Type.Array(
              Type.Object({ uuid: Type.String(), description: Type.Optional(Type.String()) }),
            ),
          }),
        ),
      },
    },
    async (request) => ({ dialplan: await dialplansV2.list(requireUser(request).userId) }),
  );

  app.post(
    '/api/dialplan/v2',
    {
      schema: {
        tags: ['dialplan'],
        summary: 'Create a dialplan',
        body: Body,
        response: statusResponse(WRONG_REFS, Type.Object({ uuid: Type.String() })),
      },
    },
    async (request) => {
      const { dialplan } = request.body as { dialplan: DialplanV2 };
      return { uuid: await dialplansV2.create(requireUser(request).userId, dialplan) };
    },
  );

  app.get(
    '/api/dialplan/v2/:uuid',
    {
      schema: {
        tags: ['dialplan'],
        summary: 'Get a dialplan exactly as it was sent',
        params: Params,
        // Unknown: serialized as stored, keeping the user's key order.
        response: statusResponse(WRONG_DIALPLAN, Type.Object({ dialplan: Type.Unknown() })),
      },
    },
    async (request) => {
      const { uuid } = request.params as { uuid: string };
      return { dialplan: await dialplansV2.get(requireUser(request).userId, uuid) };
    },
  );

  app.post(
    '/api/dialplan/v2/:uuid',
    {
      schema: {
        tags: ['dialplan'],
        summary: 'Modify a dialplan',
        params: Params,
        body: Body,
        response: statusResponse({ ...WRONG_DIALPLAN, ...WRONG_REFS }),
      },
    },
    async (request) => {
      const { uuid } = request.params as { uuid: string };
      const { dialplan } = request.body as { dialplan: DialplanV2 };
      await dialplansV2.modify(requireUser(request).userId, uuid, dialplan);
      return {};
    },
  );

  app.delete(
    '/api/dialplan/v2/:uuid',
    {
      schema: {
        tags: ['dialplan'],
        summary: 'Delete a dialplan (and remove it from the phones using it)',
        params: Params,
        response: statusResponse(WRONG_DIALPLAN),
      },
    },
    async (request) => {
      const { uuid } = request.params as { uuid: string };
      await dialplansV2.remove(requireUser(request).userId, uuid);
      return {};
    },
  );
}
