import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { PushChange } from '../../services/push-service.js';
import { requireUser } from '../plugins/session-auth.js';
import { statusResponse } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'push'>;

const Configuration = Type.Object({
  gcm: Type.Object({
    sender_id: Type.Optional(Type.String({ description: 'present when PUSH_GCM_SENDER_ID is configured' })),
    registration_ids: Type.Array(Type.String()),
  }),
  apns: Type.Object({
    device_tokens: Type.Record(
      Type.String(),
      Type.Object({
        application_id: Type.String(),
        sandbox: Type.Boolean(),
        apns_topic: Type.Optional(Type.String()),
      }),
      { description: 'device token (64 hex digits) -> its application' },
    ),
  }),
});

// application_id and apns_topic are plain strings here: their syntax has statuses of
// its own (invalid-appid, invalid-apns-topic), checked by the service.
const ChangeBody = Type.Object({
  system: Type.String({ enum: ['gcm', 'apns'] }),
  action: Type.String({ enum: ['add', 'delete'] }),
  registration_id: Type.Optional(Type.String({ description: '`^.{10,250}$`; only for gcm' })),
  device_token: Type.Optional(Type.String({ description: '`^[0-9a-fA-F]{64}$`; only for apns' })),
  sandbox: Type.Optional(Type.Boolean({ description: 'only for apns add: the sandbox APNs' })),
  application_id: Type.Optional(
    Type.String({ description: '`^[a-zA-Z0-9]{10}.[a-zA-Z0-9.-]{5,100}$`; only for apns add' }),
  ),
  apns_topic: Type.Optional(
    Type.String({ description: '`^[a-zA-Z0-9.-]{5,100}$`; optional, apns add; default the bundle id' }),
  ),
});

/** Apple Push Notifications and Google Cloud Messaging registrations (spec 8.1). */
export function registerPushRoutes(app: FastifyInstance, services: Deps): void {
  const { push } = services;

  app.get(
    '/api/push',
    {
      schema: {
        tags: ['push'],
        summary: "Get the current user's APNs and GCM configuration",
        response: statusResponse({}, Configuration),
      },
    },
    async (request) => push.configuration(requireUser(request).userId),
  );

  app.post(
    '/api/push',
    {
      schema: {
        tags: ['push'],
        summary: 'Add or delete an APNs device token or a GCM registration ID',
        description:
          'Registered devices receive the push events fax_new, recording_new, ' +
          'dialplan_callreverse_start and dialplan_callreverse_stop (spec 8.2). A token ' +
          'added by another user moves to this one.',
        body: ChangeBody,
        response: statusResponse({
          'unknown-appid': 'The application ID is not known to the system (PUSH_APNS_APP_IDS)',
          'invalid-appid': 'The application ID is syntactically invalid',
          'invalid-apns-topic': 'The APNS topic is syntactically invalid',
        }),
      },
    },
    async (request) => {
      await push.change(requireUser(request).userId, request.body as PushChange);
      return {};
    },
  );
}
