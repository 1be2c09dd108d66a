import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Services } from '../services/index.js';
import { envelopeServerOptions, installEnvelope } from './plugins/envelope.js';
import { installTextGuard } from './plugins/text-guard.js';
import { installRouteOf } from './plugins/route-of.js';
import { installSessionAuth } from './plugins/session-auth.js';
import { registerRecordingRoutes } from './routes/recording.js';
import { registerAnnouncementRoutes } from './routes/announcement.js';
import { registerLanguageRoutes } from './routes/language.js';
import { registerFaxRoutes } from './routes/fax.js';
import { registerAdminQueueRoutes } from './routes/admin-queues.js';
import { registerTagRoutes } from './routes/tag.js';
import { registerObjectRoutes } from './routes/object.js';
import { registerTrashRoutes } from './routes/trash.js';
import { registerUserMetadataRoutes } from './routes/user-metadata.js';
import { registerEventSubscriptionRoutes } from './routes/event-subscription.js';
import { registerEventRoutes } from './routes/event.js';
import { registerSessionRoutes } from './routes/session.js';
import { registerUserRoutes } from './routes/user.js';
import { registerUserPictureRoutes } from './routes/user-picture.js';
import { registerPartnerUserRoutes } from './routes/partner-user.js';
import { registerSignupRoutes } from './routes/signup.js';
import { registerPasswordRoutes } from './routes/password.js';
import { registerUserDeleteRoutes } from './routes/user-delete.js';
import { registerPhoneRoutes } from './routes/phone.js';
import { registerPartnerPhoneRoutes } from './routes/partner-phone.js';
import { registerPartnerCdrRoutes } from './routes/partner-cdr.js';
import { registerDialplanV1Routes } from './routes/dialplan-v1.js';
import { registerPartnerCallFilterRoutes } from './routes/partner-callfilter.js';
import { registerPartnerUsergroupRoutes } from './routes/partner-usergroup.js';
import { registerPartnerEnterpriseRoutes } from './routes/partner-enterprise.js';
import { registerPartnerEmergencyRoutes } from './routes/partner-emergency.js';
import { registerCnamRoutes } from './routes/cnam.js';
import { registerSipRoutes } from './routes/sip.js';
import { registerDialplanV2Routes } from './routes/dialplan-v2.js';
import { registerIvrRoutes } from './routes/ivr.js';
import { registerPushRoutes } from './routes/push.js';
import { registerUsageRoutes } from './routes/usage.js';
import { registerMwiRoutes } from './routes/mwi.js';
import { registerCallRoutes } from './routes/call.js';
import { registerConferenceRoutes } from './routes/conference.js';
import { installHttpMetrics } from './plugins/http-metrics.js';
import { installFastPoll } from './fast-poll.js';
import { registerOpsRoutes } from './routes/ops.js';
import { registerAdminApiRoutes } from './routes/admin-api.js';

export interface BuildAppOptions {
  logger?: boolean | { level: string };
  /** Request durations and answer statuses in GET /metrics (default on; off only to measure their cost). */
  httpMetrics?: boolean;
  /** GET /api/event answered on the connection before Node's HTTP and Fastify (default on; fast-poll.ts). */
  fastPoll?: boolean;
}

/**
 * The REST surface of spec chapters 2-3 and 9. Builds and wires everything but
 * does not listen: tests call `app.inject()`, main.ts calls `listen()`.
 */
export async function buildApp(services: Services, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    trustProxy: services.config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true },
    ...envelopeServerOptions,
  });

  await app.register(cookie);
  await app.register(websocket);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'callplane — Q-loud / cospace REST API (telephony)',
        version: '1.15.1',
        description:
          'Every JSON call answers HTTP 200 with a `status` field (`ok` or a status string listed ' +
          'per call) and, on failure, a `message`. File downloads answer 404 without a body on failure.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'the session id (sid)' },
          sidCookie: { type: 'apiKey', in: 'cookie', name: 'sid' },
          sidQuery: { type: 'apiKey', in: 'query', name: 'sid' },
        },
      },
      security: [{ bearer: [] }, { sidCookie: [] }, { sidQuery: [] }],
    },
  });

  installRouteOf(app);
  installEnvelope(app);
  installTextGuard(app);
  installSessionAuth(app, services.sessions);
  if (opts.httpMetrics !== false) installHttpMetrics(app, services.metrics);
  registerOpsRoutes(app, services, { listener: 'api' });

  app.get('/api/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, async (_req, reply) => {
    return reply.type('application/json').send(JSON.stringify(app.swagger()));
  });

  registerLanguageRoutes(app);
  registerSessionRoutes(app, services);
  registerEventRoutes(app, services);
  registerEventSubscriptionRoutes(app, services);
  // -- route registrations (one line per resource file) --
  registerSipRoutes(app, services);
  registerDialplanV2Routes(app, services);
  registerIvrRoutes(app, services);
  registerPushRoutes(app, services);
  registerUsageRoutes(app, services);
  registerMwiRoutes(app, services);
  registerPhoneRoutes(app, services);
  registerPartnerPhoneRoutes(app, services);
  registerPartnerCdrRoutes(app, services);
  registerDialplanV1Routes(app, services);
  registerPartnerCallFilterRoutes(app, services);
  registerPartnerUsergroupRoutes(app, services);
  registerPartnerEnterpriseRoutes(app, services);
  registerPartnerEmergencyRoutes(app, services);
  registerCnamRoutes(app, services);
  registerFaxRoutes(app, services);
  await registerAdminQueueRoutes(app, services);
  await registerAdminApiRoutes(app, services);
  registerRecordingRoutes(app, services);
  registerAnnouncementRoutes(app, services);
  registerConferenceRoutes(app, services);
  registerCallRoutes(app, services);
  registerTagRoutes(app, services);
  registerObjectRoutes(app, services);
  registerTrashRoutes(app, services);
  registerUserMetadataRoutes(app, services);
  registerUserRoutes(app, services);
  registerUserPictureRoutes(app, services);
  registerPartnerUserRoutes(app, services);
  registerSignupRoutes(app, services);
  registerPasswordRoutes(app, services);
  registerUserDeleteRoutes(app, services);

  if (opts.fastPoll !== false) {
    installFastPoll(app, {
      sessions: services.sessions,
      reader: services.eventSystem.reader,
      metrics: opts.httpMetrics !== false ? services.metrics : undefined,
      log: app.log,
    });
  }

  await app.ready();
  return app;
}
