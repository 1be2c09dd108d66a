import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Session, SessionStore } from '../../services/session-store.js';
import { ServiceError } from '../../errors/index.js';
import { routeOf } from './route-of.js';

/**
 * Who may call a route:
 * - none: no session needed
 * - session: any valid session
 * - anonymous: a valid session not yet authenticated (sign-up, password reset)
 * - user: a session authenticated with a user (directly or by partner proxy)
 * - partner: a session authenticated with a partner key
 */
export type AuthLevel = 'none' | 'session' | 'anonymous' | 'user' | 'partner';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthLevel;
    /** File download: failures answer HTTP 404 without a body. */
    binary?: boolean;
    /** Upload: the handler receives the raw request body as a Buffer. */
    rawBody?: boolean;
    /** Route parameter whose value is hashed into the dkey (spec 2.3); enables did auth. */
    didParam?: string;
  }
  interface FastifyRequest {
    session: Session | null;
  }
}

/** The sid from `Authorization: Bearer`, the `sid` cookie or the `sid` URL parameter (spec 2). */
export function sidOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim() || undefined;
  const cookie = request.cookies?.['sid'];
  if (cookie) return cookie;
  const q = (request.query as Record<string, unknown> | undefined)?.['sid'];
  return typeof q === 'string' && q !== '' ? q : undefined;
}

/** dkey = base64url(MD5(lowercase(uuid) + sid)) (spec 2.3). */
export function downloadKey(objectId: string, sid: string): string {
  return createHash('md5')
    .update(objectId.toLowerCase() + sid)
    .digest('base64url');
}

async function sessionByDid(request: FastifyRequest, store: SessionStore): Promise<Session | null> {
  const param = routeOf(request).config?.didParam;
  const q = request.query as Record<string, unknown>;
  const did = q['did'];
  const dkey = q['dkey'];
  if (!param || typeof did !== 'string' || typeof dkey !== 'string') return null;
  const objectId = (request.params as Record<string, string>)[param];
  if (!objectId) return null;
  const sid = await store.sidForDid(did);
  if (!sid || downloadKey(objectId, sid) !== dkey) return null;
  return store.get(sid);
}

/** Requests must come from the Origin that created the session (spec 2.1 `wrong-origin`). */
export function checkOrigin(session: Session, request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (session.origin && origin && origin !== session.origin) {
    throw new ServiceError('wrong-origin', 'the Origin header does not match the session');
  }
}

export function requireUser(request: FastifyRequest): Session & { userId: string } {
  const s = request.session;
  if (!s?.userId) throw new ServiceError('no-auth', 'the session is not authenticated with a user');
  return s as Session & { userId: string };
}

export function requirePartner(request: FastifyRequest): Session & { partnerId: string } {
  const s = request.session;
  if (!s || s.kind !== 'partner' || !s.partnerId) {
    throw new ServiceError('no-auth', 'the session is not authenticated with a partner');
  }
  return s as Session & { partnerId: string };
}

export function installSessionAuth(app: FastifyInstance, store: SessionStore): void {
  app.decorateRequest('session', null);

  // A callback hook: a session this process keeps in memory is checked without a promise.
  app.addHook('onRequest', (request, _reply, done) => {
    // Unknown URLs (no route) are answered by the not-found handler without a session.
    if (request.is404) return done();
    const level = routeOf(request).config?.auth ?? 'user';
    if (level === 'none') return done();
    const sid = sidOf(request);
    const kept = sid ? store.peek(sid) : undefined;
    if (kept) {
      try {
        admit(request, kept, level);
      } catch (err) {
        return done(err as Error);
      }
      return done();
    }
    lookUp(request, store, sid, level).then(() => done(), done);
  });
}

/** The session from Redis (by sid, or by did and dkey), checked and handed to the request. */
async function lookUp(
  request: FastifyRequest,
  store: SessionStore,
  sid: string | undefined,
  level: AuthLevel,
): Promise<void> {
  let session = sid ? await store.get(sid) : null;
  if (!session) session = await sessionByDid(request, store);
  if (!session) {
    throw new ServiceError(
      'no-session',
      sid ? 'the session id is unknown or expired' : 'no session id given',
    );
  }
  admit(request, session, level);
}

/** Checks a request's session against the route's level, and hands it to the request. */
function admit(request: FastifyRequest, session: Session, level: AuthLevel): void {
  checkOrigin(session, request);
  request.session = session;
  switch (level) {
    case 'user':
      if (session.kind !== 'user')
        throw new ServiceError('no-auth', 'the session is not authenticated with a user');
      break;
    case 'partner':
      if (session.kind !== 'partner') {
        throw new ServiceError('no-auth', 'the session is not authenticated with a partner');
      }
      break;
    case 'anonymous':
      if (session.kind !== 'anonymous')
        throw new ServiceError('already-auth', 'the session is already authenticated');
      break;
    default:
      break;
  }
}
