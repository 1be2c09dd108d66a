import type { FastifyInstance, FastifyRequest } from 'fastify';

type SeenRoute = FastifyRequest['routeOptions'];

declare module 'fastify' {
  interface FastifyRequest {
    /** routeOptions as first asked for in this request (routeOf). */
    routeSeen: FastifyRequest['routeOptions'] | null;
  }
}

/**
 * The request's route options, built once per request: Fastify's
 * `request.routeOptions` getter makes a new object of thirteen fields on
 * every read, and the hooks of one request read it several times.
 */
export function routeOf(request: FastifyRequest): SeenRoute {
  return (request.routeSeen ??= request.routeOptions);
}

export function installRouteOf(app: FastifyInstance): void {
  app.decorateRequest('routeSeen', null);
}
