import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ConferenceFields } from '../../services/conference-service.js';
import type { Services } from '../../services/index.js';
import { requireUser } from '../plugins/session-auth.js';
import { P, statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'conferences' | 'conferenceLive'>;

const Params = Type.Object({ uuid: Uuid });

/** spec 3.17: `description` `^.{0,200}$` (the create call's `^{0,200}$` is read as the same). */
const Description = Str('^.{0,200}$', 'a short description of this conference');
const Pin = Str(P.pin, 'the authentication code (PIN) to access the conference');
const Active = Type.Boolean({ description: 'if true, participants can join the conference' });
const MuteDefault = Type.Boolean({ description: 'if true, participants joining are muted by default' });

const WRONG = {
  'wrong-conference': 'The given UUID does not match a conference accessible by the current user',
};
const DENIED = {
  'access-denied':
    'The user does not have sufficient privileges on the conference (at least write privileges are required)',
};
const DUPLICATE = {
  'duplicate-pin': 'The PIN is already assigned to another conference object of this user',
};
const OFFLINE = {
  'conference-offline': 'The conference is currently offline, so the action cannot be delivered',
};

const Volume = Type.Integer({ minimum: -4, maximum: 4, description: '-4 ... 4, 0 is the default level' });
const MemberUpdate = Type.Object(
  {
    user: Type.Optional(Uuid),
    mute: Type.Optional(Type.Boolean()),
    deaf: Type.Optional(Type.Boolean()),
    volume_in: Type.Optional(Volume),
    volume_out: Type.Optional(Volume),
  },
  { additionalProperties: false },
);

/** Spec 3.17: conference objects, their detailed event channel and member control. */
export function registerConferenceRoutes(app: FastifyInstance, services: Deps): void {
  const { conferences, conferenceLive } = services;

  app.post(
    '/api/conference',
    {
      schema: {
        tags: ['conference'],
        summary: 'Create a new conference object',
        description: 'The new conference carries tag_all (event object_new).',
        body: Type.Object({
          description: Type.Optional(Description),
          pin: Pin,
          active: Active,
          mute_default: Type.Optional(MuteDefault),
        }),
        response: statusResponse(DUPLICATE, Type.Object({ uuid: Uuid })),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const obj = await conferences.create(userId, request.body as ConferenceFields);
      return { uuid: obj.uuid };
    },
  );

  app.get(
    '/api/conference/:uuid',
    {
      schema: {
        tags: ['conference'],
        summary: 'Get information about conference uuid',
        description:
          '`phone` lists the numbers of the owner whose calls reach the conference (spec 3.9 ' +
          '`conference_enable`, and no dialplan, call API, IVR or pending unlock code taking the call).',
        params: Params,
        response: statusResponse(
          WRONG,
          Type.Object({
            conference: Type.Object({
              owner: Uuid,
              time: Type.Integer({ description: 'creation time, seconds since the epoch' }),
              description: Type.Optional(Type.String()),
              pin: Type.String(),
              active: Type.Boolean(),
              mute_default: Type.Boolean(),
              phone: Type.Array(Type.String()),
              tag: Type.Array(Uuid),
            }),
          }),
        ),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      return { conference: await conferences.describe(userId, uuid) };
    },
  );

  app.post(
    '/api/conference/:uuid',
    {
      schema: {
        tags: ['conference'],
        summary: 'Modify the conference uuid (all fields optional)',
        params: Params,
        body: Type.Object({
          description: Type.Optional(Description),
          pin: Type.Optional(Pin),
          active: Type.Optional(Active),
          mute_default: Type.Optional(MuteDefault),
        }),
        response: statusResponse({ ...WRONG, ...DENIED, ...DUPLICATE }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      await conferences.modify(userId, uuid, request.body as ConferenceFields);
      return {};
    },
  );

  app.delete(
    '/api/conference/:uuid',
    {
      schema: {
        tags: ['conference'],
        summary: 'Delete conference uuid (into the trash, or permanently with purge)',
        description: 'A live conference ends: its participants are disconnected.',
        params: Params,
        querystring: Type.Object({
          purge: Type.Optional(Type.String({ description: 'if present: delete permanently' })),
        }),
        response: statusResponse({ ...WRONG, ...DENIED }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      await conferences.remove(userId, uuid, Object.hasOwn(request.query as object, 'purge'));
      return {};
    },
  );

  app.get(
    '/api/conference/:uuid/event',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['conference'],
        summary: 'Subscribe the session to the event channel of a conference',
        description:
          '`busy` is true while the conference has participants; the session then gets a ' +
          '`conference_status` event at once, and `conference_update` / `conference_join` / ' +
          '`conference_leave` as things change (spec 7.11).',
        params: Params,
        response: statusResponse(WRONG, Type.Object({ busy: Type.Boolean() })),
      },
    },
    async (request) => {
      const s = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      const conference = await conferences.get(s.userId, uuid);
      return { busy: await conferenceLive.subscribe(conference, s.sid) };
    },
  );

  app.delete(
    '/api/conference/:uuid/event',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['conference'],
        summary: "Cancel the session's subscription to a conference's events",
        params: Params,
        response: statusResponse(WRONG),
      },
    },
    async (request) => {
      const s = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      await conferenceLive.unsubscribe(await conferences.get(s.userId, uuid), s.sid);
      return {};
    },
  );

  app.post(
    '/api/conference/:uuid/member',
    {
      schema: {
        tags: ['conference'],
        summary: 'Modify conference member state (update) and kick members (delete)',
        description:
          'Delivered to the telephony node that mixes the conference. Volume levels follow ' +
          "FreeSWITCH mod_conference's scale (gain x0.2, x0.4, x0.6, x0.8 for -4 ... -1; x1.3, x2.3, x3.3, x4.3 " +
          'for 1 ... 4). Members that already left are skipped.',
        params: Params,
        body: Type.Object({
          update: Type.Optional(
            Type.Record(Type.String({ pattern: P.uuid }), MemberUpdate, { additionalProperties: false }),
          ),
          delete: Type.Optional(Type.Array(Uuid)),
        }),
        response: statusResponse({ ...OFFLINE, ...WRONG, ...DENIED }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      const conference = await conferences.get(userId, uuid, 'write');
      await conferenceLive.control(conference, request.body);
      return {};
    },
  );
}
