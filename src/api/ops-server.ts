import Fastify from 'fastify';
import type { Services } from '../services/index.js';
import { installHttpMetrics } from './plugins/http-metrics.js';
import { registerOpsRoutes } from './routes/ops.js';

/** What the listener uses of the services. */
type Deps = Pick<Services, 'config' | 'metrics' | 'health'>;

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The METRICS_PORT listener: /metrics, /health and /ready on an address of
 * their own (METRICS_HOST, loopback by default), for a Prometheus or a load
 * balancer that should not reach the API port, and for processes without
 * the API role (a worker or telephony node alone).
 */
export async function startOpsServer(services: Deps, at: { host: string; port: number }): Promise<OpsServer> {
  const app = Fastify({ logger: false });
  installHttpMetrics(app, services.metrics);
  registerOpsRoutes(app, services, { listener: 'ops' });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).type('text/plain').send('this listener serves /metrics, /health and /ready\n'),
  );
  const url = await app.listen({ host: at.host, port: at.port });
  return { url, close: () => app.close() };
}
