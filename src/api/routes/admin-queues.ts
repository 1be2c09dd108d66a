import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.js';
import { presentedKey, sameKey } from '../plugins/admin-key.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'config' | 'media'>;

export const ADMIN_QUEUES_PATH = '/admin/queues';

type BoardOptions = Parameters<typeof createBullBoard>[0];

/**
 * The media queue dashboard (bull-board, issue 4) under /admin/queues. It is
 * an operator tool outside the spec's API: no session, no status envelope,
 * guarded by ADMIN_KEY (HTTP basic auth, so a browser asks for it, or an
 * `X-Admin-Key` header). Without ADMIN_KEY it is off and answers 404.
 */
export async function registerAdminQueueRoutes(app: FastifyInstance, services: Deps): Promise<void> {
  const key = services.config.adminKey;
  await app.register(async (scope) => {
    // Not spec routes: no session auth, and bodies pass through untouched (no envelope).
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, auth: 'none', binary: true };
      // An operator tool, not part of the API the OpenAPI description (and the typed client) covers.
      route.schema = { ...route.schema, hide: true };
    });

    if (!key) {
      const off = async (_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
        reply
          .code(404)
          .type('text/plain')
          .send('the queue dashboard is disabled: set ADMIN_KEY to enable it\n');
      scope.get(ADMIN_QUEUES_PATH, off);
      scope.get(`${ADMIN_QUEUES_PATH}/*`, off);
      return;
    }

    scope.addHook('onRequest', async (request, reply) => {
      const given = presentedKey(request);
      if (given !== undefined && sameKey(given, key)) return;
      await reply
        .code(401)
        .header('www-authenticate', 'Basic realm="callplane queues", charset="UTF-8"')
        .type('text/plain')
        .send('admin key required\n');
    });

    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
    createBullBoard({
      queues: [new BullMQAdapter(services.media.bull())],
      // @bull-board/fastify pins @bull-board/api 9.10.1 beside our 9.10.2: same shape,
      // separately declared private fields, so TypeScript needs to be told.
      serverAdapter: serverAdapter as unknown as BoardOptions['serverAdapter'],
      options: { uiConfig: { boardTitle: 'callplane media' } },
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: ADMIN_QUEUES_PATH });
  });
}
