import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from '../../metrics/index.js';
import { routeOf } from './route-of.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    /** The spec status of the JSON answer, once sent ('' before, or for other answers). */
    apiStatus: string;
  }
}

/** Spec status strings are lower-case words with dashes; anything else is not an envelope. */
const STATUS_AT_START = /^\{"status":"([a-z][a-z0-9-]{0,40})"/;

/** The route pattern (`/api/fax/:uuid`), never the raw URL, so label values stay few. */
export function routeLabel(request: FastifyRequest): string {
  return request.is404 ? 'unmatched' : (routeOf(request).url ?? 'unmatched');
}

/**
 * Request durations by method, route pattern and HTTP status, and the spec
 * status of every JSON answer (spec 2.1: the envelope's `status` is always
 * its first member, see plugins/envelope.ts), for GET /metrics.
 */
export function installHttpMetrics(app: FastifyInstance, metrics: Pick<Metrics, 'http'>): void {
  // On the request itself: a WeakMap entry per request was garbage the collector had to trace apart.
  app.decorateRequest('apiStatus', '');
  // Callback hooks: an async hook costs a promise per request on every answer.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (typeof payload === 'string') {
      const type = reply.getHeader('content-type');
      if (typeof type === 'string' && type.startsWith('application/json')) {
        const m = STATUS_AT_START.exec(payload);
        if (m?.[1]) request.apiStatus = m[1];
      }
    }
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeLabel(request);
    const method = METHODS.has(request.method) ? request.method : 'other';
    metrics.http.duration.observe(route, method, reply.statusCode, reply.elapsedTime / 1000);
    const status = request.apiStatus;
    if (status !== '') metrics.http.answers.inc(route, status);
    done();
  });
}
