import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { ProfileChanges } from '../../services/user-profile-service.js';
import { ServiceError } from '../../errors/index.js';
import { requireUser } from '../plugins/session-auth.js';
import { Language, P, statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'events' | 'userProfile'>;

const Quota = Type.Object({ volume: Type.Integer(), fax: Type.Integer() });

const UserProfileSchema = Type.Object(
  {
    uuid: Uuid,
    username: Type.String(),
    firstname: Type.String(),
    lastname: Type.String(),
    display_name: Type.String(),
    birthday: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    language: Type.String(),
    newsletter: Type.Boolean(),
    partner: Type.Optional(Type.String({ description: 'only for users of a partner' })),
    zip_code: Type.Optional(Type.String()),
    town: Type.Optional(Type.String()),
    street: Type.Optional(Type.String()),
    house_number: Type.Optional(Type.String()),
    country: Type.Optional(Type.String()),
    country_code: Type.String(),
    area_code: Type.Optional(Type.String()),
    validation: Type.String({ enum: ['incomplete', 'checking', 'missmatch', 'baddocument', 'fail', 'ok'] }),
    tag_all: Uuid,
    tag_unread: Uuid,
    tag_inbox: Uuid,
    tag_outbox: Uuid,
    tag_trash: Uuid,
    tag_shared: Uuid,
    share_read: Uuid,
    share_write: Uuid,
    share_propagate: Uuid,
    feature: Type.Object({
      pack: Type.Array(Type.String()),
      quota: Quota,
      used: Quota,
      feature: Type.Object({
        fax_noad: Type.Boolean(),
        call_unrestricted: Type.Boolean(),
        box_enable: Type.Boolean(),
        dialplan_enable: Type.Boolean(),
        control_phone: Type.Boolean(),
      }),
    }),
    fax_ident: Type.Optional(Type.String()),
    fax_header: Type.Optional(Type.String()),
    picture: Type.Boolean(),
    usergroup: Type.Optional(Type.String()),
  },
  { description: 'fields marked optional are only present when set' },
);

const ProfileChangesSchema = Type.Object({
  firstname: Type.Optional(Str(P.name50)),
  lastname: Type.Optional(Str(P.name50)),
  display_name: Type.Optional(Str(P.name100, 'the user name as it should display within an application')),
  birthday: Type.Optional(Str(P.birthday, 'YYYY-MM-DD; only together with the other address fields')),
  zip_code: Type.Optional(Str(P.name50)),
  town: Type.Optional(Str(P.name50)),
  street: Type.Optional(Str(P.name50)),
  house_number: Type.Optional(Str(P.name50)),
  country: Type.Optional(Str(P.country, 'ISO country code')),
  // The spec writes `^[0-9]{1,3}$` here but shows "+49" everywhere: both are accepted.
  country_code: Type.Optional(Str(P.countryCode)),
  password: Type.Optional(Str(P.password, 'a new password; needs old_password')),
  old_password: Type.Optional(Str(P.password)),
  pin: Type.Optional(Str(P.pin, 'a new phone PIN (never returned)')),
  language: Type.Optional(Language),
  newsletter: Type.Optional(Type.Boolean()),
  email: Type.Optional(Str(P.email, 'a new e-mail address (first step)')),
  code: Type.Optional(Str(P.code, 'the e-mail verification code (second step)')),
  fax_ident: Type.Optional(Str(P.faxIdent, 'the default fax transmitting station ID (TSI)')),
  fax_header: Type.Optional(Str(P.faxHeader, 'the default fax header line')),
});

const BasicInfoSchema = Type.Object({
  username: Type.String(),
  firstname: Type.String(),
  lastname: Type.String(),
  display_name: Type.String(),
  deleted: Type.Optional(Type.Literal(true, { description: 'only present for deleted users' })),
  picture: Type.Boolean(),
});

/** Spec 3.5: the session user's profile, and basic information about other users. */
export function registerUserRoutes(app: FastifyInstance, services: Deps): void {
  const { userProfile, events } = services;

  app.get(
    '/api/user',
    {
      schema: {
        tags: ['user'],
        summary: "Get information about the current session's user",
        response: statusResponse({}, Type.Object({ user: UserProfileSchema })),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const user = await userProfile.profile(userId);
      if (!user) throw new ServiceError('no-auth', 'the session user no longer exists');
      return { user };
    },
  );

  app.post(
    '/api/user',
    {
      schema: {
        tags: ['user'],
        summary: "Modify user-related information of the current session's user",
        body: ProfileChangesSchema,
        response: statusResponse({
          'wrong-password': 'The `old_password` is wrong',
          'already-exist': 'The e-mail address matches an existing user record',
          'email-failure': 'The e-mail could not be sent out',
          'address-incomplete':
            'Missing parameter `birthday`, `zip_code`, `town`, `street`, `house_number` or `country`',
          'address-wrong':
            'The combination of `zip_code`, `town`, `street`, `house_number` and `country` is incorrect, ' +
            'too imprecise or unknown to the system',
          'address-forbidden':
            'The new address is correct, but lies in another area code than the current one while the ' +
            'user holds phone numbers of the current area code',
          'unsupported-country': 'The country given is not supported by the system (ADDRESS_COUNTRIES)',
          'too-young': 'The given age (`birthday` field) is too young',
        }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const changed = await userProfile.modify(userId, request.body as ProfileChanges);
      if (changed) await events.publish({ users: [userId] }, 'user_modify', {});
      return {};
    },
  );

  app.get(
    '/api/user/:uuid',
    {
      schema: {
        tags: ['user'],
        summary: 'Get basic information about a user',
        params: Type.Object({ uuid: Uuid }),
        response: statusResponse(
          { 'wrong-user': 'The given `user-uuid` does not exist' },
          Type.Object({ user: BasicInfoSchema }),
        ),
      },
    },
    async (request) => {
      const session = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      return { user: await userProfile.basicInfo(uuid.toLowerCase(), session.partnerId ?? null) };
    },
  );
}
