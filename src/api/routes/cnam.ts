import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CNAM_NAME_PATTERN, E164_PATTERN, type CnamScope } from '../../domain/policy/cnam.js';
import type { Services } from '../../services/index.js';
import { requirePartner, requireUser } from '../plugins/session-auth.js';
import { statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'policy'>;

const Phone = Str(E164_PATTERN, 'phone number in E.164 format');

const PageQuery = Type.Object({
  next: Type.Optional(Str(E164_PATTERN, 'phone number of the first CNAM entry to return')),
  count: Type.Optional(Str('^[0-9]{1,3}$', 'max. number of CNAM entries to return (1...500, default 50)')),
});

const PageBody = Type.Object({
  cnam: Type.Array(Type.Object({ phone: Type.String(), name: Type.String() })),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'phone number of the next CNAM entry, or null after the last page',
  }),
});

const NameBody = Type.Object({
  name: Str(CNAM_NAME_PATTERN, "resolved name: A-Z, a-z, digits, & ' ( ) * + , - . / : ; @ [ ] _ and space"),
});

const WRONG_CNAM = { 'wrong-cnam': 'the given CNAM entry does not exist' };

interface Table {
  scope: CnamScope;
  /** URL of the table, with `:uuid` for usergroup and enterprise. */
  base: string;
  tag: string;
  what: string;
  /** Resolves the table's owner id for the request, or throws the scope's status. */
  owner(request: FastifyRequest): Promise<string>;
  statuses: Record<string, string>;
}

/** Calling Name Delivery tables of users, usergroups and enterprises (spec 10). */
export function registerCnamRoutes(app: FastifyInstance, services: Deps): void {
  const { cnam } = services.policy;
  const partnerOwner =
    (scope: 'usergroup' | 'enterprise') =>
    (request: FastifyRequest): Promise<string> =>
      cnam.partnerOwner(scope, requirePartner(request).partnerId, (request.params as { uuid: string }).uuid);

  const tables: Table[] = [
    {
      scope: 'user',
      base: '/api/user/cnam',
      tag: 'user',
      what: 'the current user',
      owner: async (request) => requireUser(request).userId,
      statuses: {},
    },
    {
      scope: 'usergroup',
      base: '/api/partner/usergroup/:uuid/cnam',
      tag: 'partner',
      what: 'the selected usergroup',
      owner: partnerOwner('usergroup'),
      statuses: {
        'wrong-usergroup': 'the given usergroup uuid does not exist or does not belong to the partner',
      },
    },
    {
      scope: 'enterprise',
      base: '/api/partner/enterprise/:uuid/cnam',
      tag: 'partner',
      what: 'the selected enterprise',
      owner: partnerOwner('enterprise'),
      statuses: {
        'wrong-enterprise': 'the given enterprise uuid does not exist or does not belong to the partner',
      },
    },
  ];

  for (const t of tables) {
    const auth = t.scope === 'user' ? 'user' : 'partner';
    const params = t.scope === 'user' ? undefined : Type.Object({ uuid: Uuid });
    const phoneParams =
      t.scope === 'user' ? Type.Object({ phone: Phone }) : Type.Object({ uuid: Uuid, phone: Phone });

    app.get(
      t.base,
      {
        config: { auth },
        schema: {
          tags: [t.tag],
          summary: `Read CNAM entries of ${t.what}, ordered by phone number`,
          ...(params ? { params } : {}),
          querystring: PageQuery,
          response: statusResponse(t.statuses, PageBody),
        },
      },
      async (request) => {
        const owner = await t.owner(request);
        return cnam.list(t.scope, owner, request.query as { next?: string; count?: string });
      },
    );

    app.post(
      `${t.base}/:phone`,
      {
        config: { auth },
        schema: {
          tags: [t.tag],
          summary: `Create or modify a CNAM entry of ${t.what}`,
          params: phoneParams,
          body: NameBody,
          response: statusResponse(t.statuses),
        },
      },
      async (request) => {
        const owner = await t.owner(request);
        const { phone } = request.params as { phone: string };
        await cnam.put(t.scope, owner, phone, (request.body as { name: string }).name);
        return {};
      },
    );

    app.delete(
      `${t.base}/:phone`,
      {
        config: { auth },
        schema: {
          tags: [t.tag],
          summary: `Delete an existing CNAM entry of ${t.what}`,
          params: phoneParams,
          response: statusResponse({ ...t.statuses, ...WRONG_CNAM }),
        },
      },
      async (request) => {
        const owner = await t.owner(request);
        const { phone } = request.params as { phone: string };
        await cnam.delete(t.scope, owner, phone);
        return {};
      },
    );
  }
}
