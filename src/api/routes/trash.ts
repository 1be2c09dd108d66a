import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { requireUser } from '../plugins/session-auth.js';
import { statusResponse } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'objects'>;

/** Spec 3.11: empty the trash. */
export function registerTrashRoutes(app: FastifyInstance, services: Deps): void {
  app.delete(
    '/api/trash',
    {
      schema: {
        tags: ['tag'],
        summary: 'Purge the trash: all objects in the trash are permanently deleted',
        response: statusResponse(),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      await services.objects.purgeTrash(userId);
      return {};
    },
  );
}
