import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from '../../metrics/index.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Spec status strings are lower-case words with dashes; anything else is not an envelope. */
const STATUS_AT_START = /^\{"status":"([a-z][a-z0-9-]{0,40})"/;

/** The route pattern (`/api/fax/:uuid`), never the raw URL, so label values stay few. */
export function routeLabel(request: FastifyRequest): string {
  return request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
}

/**
 * Request durations by method, route pattern and HTTP status, and the spec
 * status of every JSON answer (spec 2.1: the envelope's `status` is always
 * its first member, see plugins/envelope.ts), for GET /metrics.
 */
export function installHttpMetrics(app: FastifyInstance, metrics: Pick<Metrics, 'http'>): void {
  const statuses = new WeakMap<FastifyRequest, string>();
  // Callback hooks: an async hook costs a promise per request on every answer.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (typeof payload === 'string') {
      const type = reply.getHeader('content-type');
      if (typeof type === 'string' && type.startsWith('application/json')) {
        const m = STATUS_AT_START.exec(payload);
        if (m?.[1]) statuses.set(request, m[1]);
      }
    }
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeLabel(request);
    const method = METHODS.has(request.method) ? request.method : 'other';
    metrics.http.duration.observe(
      { method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    const status = statuses.get(request);
    if (status !== undefined) metrics.http.answers.inc({ route, status });
    done();
  });
}
