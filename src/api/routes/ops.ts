import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isPrivateAddress } from '../../lib/net-address.js';
import type { Services } from '../../services/index.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'config' | 'metrics' | 'health'>;

export interface OpsRouteOptions {
  /**
   * Where the routes are served: `api` is the API port (where /metrics
   * answers only when no METRICS_PORT is set), `ops` the METRICS_PORT
   * listener.
   */
  listener: 'api' | 'ops';
}

function sameToken(given: string, token: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

function bearer(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  return auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : undefined;
}

/** Not spec routes: no session, no status envelope, not in the OpenAPI description. */
const OPS_ROUTE = { config: { auth: 'none' as const, binary: true }, schema: { hide: true } };

/**
 * Operator endpoints outside the spec, for load balancers, compose health
 * checks and Prometheus:
 * - GET /health: the process is up (answers 200 whatever its dependencies do)
 * - GET /ready: 200 when every readiness check passes (Redis, the database,
 *   and the checks the roles of this process registered), else 503
 * - GET /metrics: Prometheus text format; guarded by METRICS_TOKEN (bearer),
 *   moved to its own listener by METRICS_PORT, and without either answered
 *   only to loopback and private-network clients
 */
export function registerOpsRoutes(app: FastifyInstance, services: Deps, opts: OpsRouteOptions): void {
  const { config, metrics, health } = services;

  app.get('/health', OPS_ROUTE, async (_request, reply) =>
    reply.type('application/json').send(JSON.stringify({ status: 'ok' })),
  );

  app.get('/ready', OPS_ROUTE, async (_request, reply) => {
    const r = await health.ready();
    return reply
      .code(r.ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .type('application/json')
      .send(JSON.stringify({ status: r.ready ? 'ok' : 'fail', checks: r.checks }));
  });

  const refuse = (reply: FastifyReply, code: number, text: string): FastifyReply =>
    reply.code(code).type('text/plain').send(`${text}\n`);

  app.get('/metrics', OPS_ROUTE, async (request, reply) => {
    if (opts.listener === 'api' && config.metricsPort !== undefined) {
      return refuse(reply, 404, `metrics are served on port ${config.metricsPort} (METRICS_PORT)`);
    }
    if (config.metricsToken !== undefined) {
      const given = bearer(request);
      if (given === undefined || !sameToken(given, config.metricsToken)) {
        reply.header('www-authenticate', 'Bearer realm="callplane metrics"');
        return refuse(reply, 401, 'a bearer token (METRICS_TOKEN) is required');
      }
    } else if (opts.listener === 'api' && !isPrivateAddress(request.ip)) {
      return refuse(
        reply,
        403,
        'metrics answer only loopback and private networks; set METRICS_TOKEN or METRICS_PORT',
      );
    }
    const text = await metrics.scrape();
    return reply.header('cache-control', 'no-store').type(metrics.contentType).send(text);
  });
}
