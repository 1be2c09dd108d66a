import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.js';
import type { Session } from '../../services/session-store.js';
import { verifyPassword } from '../../lib/passwords.js';
import { ServiceError } from '../../errors/index.js';
import { checkOrigin, sidOf } from '../plugins/session-auth.js';
import { Language, P, statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'config' | 'eventSystem' | 'nextEventId' | 'sessions' | 'users' | 'partners'>;

const SessionInfo = Type.Object({
  sid: Type.String(),
  did: Type.String(),
  server: Type.String(),
  partner: Type.Optional(Type.String()),
  auth: Type.Boolean(),
  next_event: Type.Integer(),
});

const LoginBody = Type.Object({
  username: Type.Optional(Str(P.username)),
  email: Type.Optional(Str(P.email)),
  password: Type.Optional(Str(P.password)),
  partner: Type.Optional(Str(P.partner)),
  key: Type.Optional(Str(P.key)),
  user: Type.Optional(Uuid),
});
type LoginBody = {
  username?: string;
  email?: string;
  password?: string;
  partner?: string;
  key?: string;
  user?: string;
};

export function serverUrl(services: Deps, request: FastifyRequest): string {
  return services.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

/** Sets the `sid` and `server` cookies with the same contents as the JSON answer (spec 3.1). */
function setSessionCookies(reply: FastifyReply, sid: string, server: string): void {
  reply.setCookie('sid', sid, { path: '/', httpOnly: true, sameSite: 'lax' });
  reply.setCookie('server', server, { path: '/', sameSite: 'lax' });
}

function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie('sid', { path: '/' });
  reply.clearCookie('server', { path: '/' });
}

export function registerSessionRoutes(app: FastifyInstance, services: Deps): void {
  const { sessions, users, partners, config } = services;

  async function sessionInfo(session: Session, request: FastifyRequest): Promise<Record<string, unknown>> {
    return {
      sid: session.sid,
      did: session.did,
      server: serverUrl(services, request),
      ...(session.partnerName ? { partner: session.partnerName } : {}),
      auth: session.kind !== 'anonymous',
      next_event: await services.nextEventId(session.sid),
    };
  }

  async function createSession(request: FastifyRequest, language: 'de' | 'en'): Promise<Session> {
    if (
      await sessions.overCreateLimit(request.ip, config.sessionCreateLimit, config.sessionCreateWindowSeconds)
    ) {
      throw new ServiceError(
        'resource-throttle',
        'too many sessions created from this address; try again later',
      );
    }
    return sessions.create({ language, origin: request.headers.origin });
  }

  async function authenticate(session: Session, body: LoginBody): Promise<Record<string, unknown>> {
    if (body.partner !== undefined || body.key !== undefined) {
      if (body.partner === undefined || body.key === undefined) {
        throw new ServiceError('missing-element', 'partner authentication needs both partner and key');
      }
      const partner = await partners.authenticate(body.partner, body.key);
      if (body.user !== undefined) {
        const user = await users.byId(body.user);
        if (!user || user.deleted || user.disabled || user.partner_id !== partner.id) {
          throw new ServiceError('wrong-user', 'the user does not exist or does not belong to the partner');
        }
        Object.assign(session, {
          kind: 'user',
          userId: user.uuid,
          partnerId: partner.id,
          partnerName: partner.name,
        });
        session.proxy = true;
      } else {
        Object.assign(session, { kind: 'partner', partnerId: partner.id, partnerName: partner.name });
      }
      await sessions.save(session);
      return {};
    }
    if (body.password === undefined) throw new ServiceError('missing-element', 'password is required');
    if (body.username === undefined && body.email === undefined) {
      throw new ServiceError('missing-element', 'username or email is required');
    }
    const user = await users.byLogin({ username: body.username, email: body.email });
    if (!user || user.disabled || !(await verifyPassword(body.password, user.password_hash))) {
      throw new ServiceError('wrong-credentials', 'username and/or password is wrong');
    }
    const partnerName = await users.partnerName(user.partner_id);
    Object.assign(session, { kind: 'user', userId: user.uuid });
    if (user.partner_id && partnerName) Object.assign(session, { partnerId: user.partner_id, partnerName });
    await sessions.save(session);
    return partnerName ? { partner: partnerName } : {};
  }

  app.get(
    '/api/session',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['session'],
        summary: 'Create a new session or confirm an existing one',
        querystring: Type.Object({ language: Type.Optional(Language), sid: Type.Optional(Type.String()) }),
        response: statusResponse(
          {
            'resource-throttle': 'excessive resource usage; try again later',
            'wrong-session': 'the given sid does not map to a known session',
            'wrong-origin':
              'the sid belongs to a session created from another Origin (spec 2.1); the session stays',
          },
          SessionInfo,
        ),
      },
    },
    async (request, reply) => {
      const sid = sidOf(request);
      let session: Session | null;
      if (sid) {
        session = await sessions.get(sid);
        if (!session) {
          clearSessionCookies(reply);
          throw new ServiceError('wrong-session', 'the session id does not map to a known session');
        }
        // spec 2.1: a session is confirmed only to the Origin that created it.
        checkOrigin(session, request);
      } else {
        const language = (request.query as { language?: 'de' | 'en' }).language ?? 'de';
        session = await createSession(request, language);
      }
      const info = await sessionInfo(session, request);
      setSessionCookies(reply, session.sid, info['server'] as string);
      return info;
    },
  );

  app.post(
    '/api/session',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['session'],
        summary: 'Authenticate a user, a partner or a partner proxy for a user',
        body: LoginBody,
        response: statusResponse({
          'wrong-credentials': 'username and/or password is wrong/unknown',
          'already-auth': 'the session is already authenticated',
          'wrong-user': 'the given user does not exist or does not belong to the partner',
        }),
      },
    },
    async (request, reply) => {
      const body = request.body as LoginBody;
      const sid = sidOf(request);
      if (sid) {
        const session = await sessions.get(sid);
        if (!session) throw new ServiceError('no-session', 'the session id is unknown or expired');
        checkOrigin(session, request);
        if (session.kind !== 'anonymous')
          throw new ServiceError('already-auth', 'the session is already authenticated');
        return authenticate(session, body);
      }
      // Without a session only user authentication is allowed (spec 3.1).
      if (body.partner !== undefined || body.key !== undefined) {
        throw new ServiceError('no-session', 'partner authentication needs a session');
      }
      if (body.password === undefined) throw new ServiceError('missing-element', 'password is required');
      if (body.username === undefined && body.email === undefined) {
        throw new ServiceError('missing-element', 'username or email is required');
      }
      const session = await createSession(request, 'de');
      try {
        await authenticate(session, body);
      } catch (err) {
        await sessions.delete(session);
        throw err;
      }
      const info = await sessionInfo(session, request);
      setSessionCookies(reply, session.sid, info['server'] as string);
      return info;
    },
  );

  app.delete(
    '/api/session',
    {
      config: { auth: 'session' },
      schema: { tags: ['session'], summary: 'Close the session', response: statusResponse() },
    },
    async (request, reply) => {
      const session = request.session as Session;
      await sessions.delete(session);
      await services.eventSystem.log.drop(session.sid);
      clearSessionCookies(reply);
      return {};
    },
  );
}
