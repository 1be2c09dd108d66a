import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { UserPhoneRequest } from '../../services/phone-service.js';
import { requireUser } from '../plugins/session-auth.js';
import { statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'phones'>;

/** spec 3.9 / 9.1.2: phonenumber `^\+[0-9]{3,20}$`. */
export const PHONE_PATTERN = '^\\+[0-9]{3,20}$';
export const PhoneNumber = Str(PHONE_PATTERN, 'phone number in E.164 format');

const Nullable = (s: TSchema, description: string): TSchema => Type.Union([s, Type.Null()], { description });

/** The switches of spec 3.9, each optional. */
export const FlagProps = {
  dialplan_enable: Type.Optional(
    Type.Boolean({ description: 'default false; takes priority over the other switches' }),
  ),
  call_enable: Type.Optional(
    Type.Boolean({ description: 'default false; works only if it is the only switch on' }),
  ),
  fax_enable: Type.Optional(Type.Boolean({ description: 'default true' })),
  recording_enable: Type.Optional(Type.Boolean({ description: 'default true' })),
  conference_enable: Type.Optional(Type.Boolean({ description: 'default true' })),
  play_announcement_only: Type.Optional(
    Type.Boolean({ description: 'default false: no message is recorded' }),
  ),
  notification_email: Type.Optional(Type.Boolean({ description: 'default false' })),
  notification_attachment: Type.Optional(Type.Boolean({ description: 'default false' })),
};

const Update = Type.Object(
  {
    ...FlagProps,
    announcement: Type.Optional(
      Nullable(Uuid, 'announcement UUID; leaving it out deletes an existing binding (spec 3.9)'),
    ),
    ivr: Type.Optional(Nullable(Uuid, 'IVR UUID, or null to remove it')),
    dialplan: Type.Optional(Nullable(Uuid, 'dialplan v2 UUID, or null to disable dialplan v2')),
    on_hold_music: Type.Optional(Nullable(Uuid, 'announcement UUID, or null')),
  },
  { additionalProperties: false },
);

const Body = Type.Object({
  create: Type.Optional(
    Type.Boolean({ description: "take a new number from the pool of the user's area code" }),
  ),
  update: Type.Optional(
    Type.Record(Type.String({ pattern: PHONE_PATTERN }), Update, { additionalProperties: false }),
  ),
  delete: Type.Optional(Type.Array(PhoneNumber, { maxItems: 1000 })),
});

const PhoneView = Type.Object(
  {
    announcement: Type.Optional(Type.Object({ uuid: Type.String(), description: Type.String() })),
    partner: Type.Optional(Type.String()),
    unlock_code: Type.Optional(Type.String()),
    ivr: Type.Optional(Type.String()),
    dialplan: Type.Optional(Type.String()),
    on_hold_music: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: Type.Boolean() },
);

/** The user's phone numbers (spec 3.9 /api/phone). */
export function registerPhoneRoutes(app: FastifyInstance, services: Deps): void {
  app.get(
    '/api/phone',
    {
      schema: {
        tags: ['phone'],
        summary: "List the current user's phone numbers",
        response: statusResponse({}, Type.Object({ phone: Type.Record(Type.String(), PhoneView) })),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return { phone: await services.phones.list(userId) };
    },
  );

  app.post(
    '/api/phone',
    {
      schema: {
        tags: ['phone'],
        summary: "Create, modify and delete the current user's phone numbers",
        body: Body,
        response: statusResponse(
          {
            'pool-depleted': "no more numbers are available in the user's area code",
            'address-missing': 'the user has no area code (address) yet',
            'phone-limit': 'the user holds the maximum number of phone numbers',
            'wrong-phone': 'a number in the update or delete section does not belong to the user',
            'wrong-announcement': 'the announcement does not exist or is not accessible',
            'wrong-dialplan': 'the dialplan does not exist or is not accessible',
            'wrong-ivr': 'the IVR does not exist or is not accessible',
            'concurrent-access': 'another request creates a number for this user',
            'phone-forbidden': 'the user may not create phone numbers',
          },
          Type.Record(Type.String(), Type.Object({ unlock_code: Type.String() })),
        ),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return services.phones.modify(userId, request.body as UserPhoneRequest);
    },
  );
}
