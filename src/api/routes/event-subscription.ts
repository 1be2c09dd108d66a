import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { callApiChannel } from '../../domain/call/call-api.js';
import { requirePartner, requireUser } from '../plugins/session-auth.js';
import { ServiceError } from '../../errors/index.js';
import { statusResponse } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'eventSystem' | 'sessions'>;

/** Channel of the call API events of one user (spec 3.24 GET /api/call/event). */
export const callChannel = callApiChannel;

/** Subscriptions that route channel events into the session's stream (conferences: routes/conference.ts). */
export function registerEventSubscriptionRoutes(app: FastifyInstance, services: Deps): void {
  const { subscriptions, partnerCdr } = services.eventSystem;

  app.get(
    '/api/call/event',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['call'],
        summary: 'Subscribe the session to the call API events',
        response: statusResponse(),
      },
    },
    async (request) => {
      const s = requireUser(request);
      await subscriptions.subscribe(callChannel(s.userId), s.sid);
      return {};
    },
  );

  app.delete(
    '/api/call/event',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['call'],
        summary: 'Cancel the call API event subscription',
        response: statusResponse(),
      },
    },
    async (request) => {
      const s = requireUser(request);
      await subscriptions.unsubscribe(callChannel(s.userId), s.sid);
      return {};
    },
  );

  app.get(
    '/api/partner/cdr/event',
    {
      config: { auth: 'partner' },
      schema: {
        tags: ['partner'],
        summary: "Subscribe the session to the partner's CDR events (split between subscribed sessions)",
        querystring: Type.Object({
          timeout: Type.Optional(
            Type.String({ pattern: '^[0-9]{1,5}$', description: 'seconds, 1...36000, default 3600' }),
          ),
        }),
        response: statusResponse(),
      },
    },
    async (request) => {
      const s = requirePartner(request);
      const raw = (request.query as { timeout?: string }).timeout;
      const timeout = raw === undefined ? 3600 : Number(raw);
      if (timeout < 1 || timeout > 36000)
        throw new ServiceError('wrong-syntax', 'timeout must be 1...36000 seconds');
      if (!s.cdrEvents) {
        // Its event cursor acknowledges CDRs from now on, whatever it authenticates as later.
        s.cdrEvents = true;
        await services.sessions.save(s);
      }
      await partnerCdr.subscribe(s.partnerId, s.sid, timeout);
      return {};
    },
  );

  app.delete(
    '/api/partner/cdr/event',
    {
      config: { auth: 'partner' },
      schema: { tags: ['partner'], summary: 'Cancel the CDR event subscription', response: statusResponse() },
    },
    async (request) => {
      const s = requirePartner(request);
      await partnerCdr.unsubscribe(s.partnerId, s.sid);
      return {};
    },
  );
}
