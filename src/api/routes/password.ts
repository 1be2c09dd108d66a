import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import type { Session } from '../../services/session-store.js';
import { ServiceError } from '../../errors/index.js';
import { P, statusResponse, Str } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'lifecycle'>;

const ResetBody = Type.Object({
  username: Type.Optional(Str(P.username)),
  email: Type.Optional(Str(P.email, 'alternatively to the username: the e-mail address of the user')),
  code: Str(P.code, 'the password recovery code'),
  password: Str(P.password, 'the new password'),
});
type ResetBody = { username?: string; email?: string; code: string; password: string };

/**
 * Password recovery by code (spec 3.3 POST /api/password). Codes come from
 * POST /api/partner/recovery (spec 9.1.1); the e-mail/captcha path
 * (POST /api/password/recovery) is not served.
 */
export function registerPasswordRoutes(app: FastifyInstance, services: Deps): void {
  const { lifecycle } = services;

  app.post(
    '/api/password',
    {
      config: { auth: 'anonymous' },
      schema: {
        tags: ['password'],
        summary: "Reset a user's password with a recovery code; the session is authenticated with the user",
        body: ResetBody,
        response: statusResponse(
          {
            'wrong-username':
              'the username or e-mail does not exist or the recovery code is invalid for this user',
            'already-auth': 'the session is already authenticated',
          },
          Type.Object({ partner: Type.Optional(Type.String()) }),
        ),
      },
    },
    async (request) => {
      const body = request.body as ResetBody;
      if (body.username === undefined && body.email === undefined) {
        throw new ServiceError('missing-element', 'username or email is required');
      }
      const user = await lifecycle.resetPassword(
        { username: body.username, email: body.email },
        body.code,
        body.password,
      );
      const partner = await lifecycle.signIn(request.session as Session, user);
      return partner ? { partner } : {};
    },
  );
}
