import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { ServiceError } from '../../errors/index.js';
import { requireUser } from '../plugins/session-auth.js';
import { P, statusResponse, Str } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'sessions' | 'lifecycle'>;

const DeleteBody = Type.Object({
  username: Type.Optional(Str(P.username)),
  email: Type.Optional(Str(P.email)),
  password: Str(P.password),
});
type DeleteBody = { username?: string; email?: string; password: string };

/** Self-service account deletion (spec 3.5 POST /api/user/delete). */
export function registerUserDeleteRoutes(app: FastifyInstance, services: Deps): void {
  const { lifecycle } = services;

  app.post(
    '/api/user/delete',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['user'],
        summary: "Permanently delete the session's user account; the session ends",
        body: DeleteBody,
        response: statusResponse({
          'wrong-user':
            "the given username does not match the session's user or the user is controlled by a partner",
          'wrong-credentials': 'the given password is wrong',
        }),
      },
    },
    async (request, reply) => {
      const session = requireUser(request);
      const body = request.body as DeleteBody;
      if (body.username === undefined && body.email === undefined) {
        throw new ServiceError('missing-element', 'username or email is required');
      }
      await lifecycle.deleteOwnAccount(
        session.userId,
        { username: body.username, email: body.email },
        body.password,
      );
      // The account's sessions ended with it; this one too, even if it was never indexed.
      await services.sessions.delete(session);
      reply.clearCookie('sid', { path: '/' });
      reply.clearCookie('server', { path: '/' });
      return {};
    },
  );
}
