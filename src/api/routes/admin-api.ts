import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NUMBER_STATES, runAdminCommand, type AdminCommand, type NumberState } from '../../admin/commands.js';
import type { Services } from '../../services/index.js';
import { presentedKey, sameKey } from '../plugins/admin-key.js';

/** What these routes use of the services. */
type Deps = Pick<
  Services,
  'addresses' | 'adminQueries' | 'authGuard' | 'config' | 'liveCalls' | 'partners' | 'phones' | 'users'
>;

export const ADMIN_API_PATH = '/admin/api';

const Count = Type.String({ pattern: '^[0-9]{1,9}$' });
const Window = { limit: Type.Optional(Count), offset: Type.Optional(Count) };

/** Operator routes: no session, outside the OpenAPI description of the spec surface. */
const route = (schema: Record<string, TSchema>): { config: { auth: 'none' }; schema: object } => ({
  config: { auth: 'none' },
  schema: { hide: true, ...schema },
});

function windowOf(q: { limit?: string; offset?: string }): { limit?: number; offset?: number } {
  return {
    ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
    ...(q.offset !== undefined ? { offset: Number(q.offset) } : {}),
  };
}

/**
 * The admin commands of `callplane admin` over HTTP, under ADMIN_KEY (the
 * key as `X-Admin-Key`, `Authorization: Bearer` or basic auth password, as
 * for /admin/queues). Answers are the CLI's JSON in the spec's envelope
 * (`{"status":"ok",...}` or `{"status","message"}`); a missing or wrong key
 * answers HTTP 401; without ADMIN_KEY the routes answer 404.
 */
export async function registerAdminApiRoutes(app: FastifyInstance, services: Deps): Promise<void> {
  const key = services.config.adminKey;
  if (!key) return;
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        const given = presentedKey(request);
        if (given !== undefined && sameKey(given, key)) return;
        await reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="callplane admin"')
          .type('application/json')
          .send(JSON.stringify({ status: 'no-auth', message: 'the admin key (ADMIN_KEY) is required' }));
      });
      const run = (cmd: AdminCommand): Promise<Record<string, unknown>> => runAdminCommand(services, cmd);
      const query = <T>(request: FastifyRequest): T => request.query as T;
      const body = <T>(request: FastifyRequest): T => request.body as T;

      scope.get(
        '/users',
        route({ querystring: Type.Object({ partner: Type.Optional(Type.String()), ...Window }) }),
        async (request) => {
          const q = query<{ partner?: string; limit?: string; offset?: string }>(request);
          return run({
            op: 'user.list',
            ...(q.partner !== undefined ? { partner: q.partner } : {}),
            ...windowOf(q),
          });
        },
      );
      scope.post(
        '/users',
        route({
          body: Type.Object({
            username: Type.String(),
            password: Type.String(),
            email: Type.Optional(Type.String()),
            partner: Type.Optional(Type.String()),
          }),
        }),
        async (request) =>
          run({
            op: 'user.create',
            ...body<{ username: string; password: string; email?: string; partner?: string }>(request),
          }),
      );
      scope.post(
        '/users/:user/area',
        route({ body: Type.Object({ area: Type.String() }) }),
        async (request) =>
          run({
            op: 'user.set-area',
            user: (request.params as { user: string }).user,
            area: body<{ area: string }>(request).area,
          }),
      );
      scope.post('/partners', route({ body: Type.Object({ name: Type.String() }) }), async (request) =>
        run({ op: 'partner.create', name: body<{ name: string }>(request).name }),
      );
      scope.get(
        '/numbers',
        route({
          querystring: Type.Object({
            area: Type.Optional(Type.String()),
            state: Type.Optional(Type.Union(NUMBER_STATES.map((s) => Type.Literal(s)))),
            ...Window,
          }),
        }),
        async (request) => {
          const q = query<{ area?: string; state?: NumberState; limit?: string; offset?: string }>(request);
          return run({
            op: 'numbers.list',
            ...(q.area !== undefined ? { area: q.area } : {}),
            ...(q.state !== undefined ? { state: q.state } : {}),
            ...windowOf(q),
          });
        },
      );
      scope.post(
        '/numbers',
        route({
          body: Type.Object({ area: Type.String(), numbers: Type.Array(Type.String(), { minItems: 1 }) }),
        }),
        async (request) => run({ op: 'numbers.add', ...body<{ area: string; numbers: string[] }>(request) }),
      );
      scope.get(
        '/registrations',
        route({ querystring: Type.Object({ user: Type.Optional(Type.String()) }) }),
        async (request) => {
          const q = query<{ user?: string }>(request);
          return run({ op: 'registrations.list', ...(q.user !== undefined ? { user: q.user } : {}) });
        },
      );
      scope.get(
        '/calls',
        route({
          querystring: Type.Object({
            user: Type.Optional(Type.String()),
            node: Type.Optional(Type.String()),
          }),
        }),
        async (request) => {
          const q = query<{ user?: string; node?: string }>(request);
          return run({
            op: 'calls.list',
            ...(q.user !== undefined ? { user: q.user } : {}),
            ...(q.node !== undefined ? { node: q.node } : {}),
          });
        },
      );
      scope.post(
        '/calls/:uuid/hangup',
        route({
          params: Type.Object({ uuid: Type.String() }),
          body: Type.Optional(Type.Object({ cause: Type.Optional(Type.Integer()) })),
        }),
        async (request) => {
          const cause = (request.body as { cause?: number } | undefined)?.cause;
          return run({
            op: 'calls.hangup',
            uuid: (request.params as { uuid: string }).uuid,
            ...(cause !== undefined ? { cause } : {}),
          });
        },
      );
      scope.get('/auth/blocked', route({}), async () => run({ op: 'auth.blocked' }));
      scope.post(
        '/auth/unblock/:target',
        route({ params: Type.Object({ target: Type.String() }) }),
        async (request) => run({ op: 'auth.unblock', target: (request.params as { target: string }).target }),
      );
    },
    { prefix: ADMIN_API_PATH },
  );
}
