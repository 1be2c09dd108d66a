import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PagingError, parsePage } from '../../domain/paging.js';
import { ServiceError } from '../../errors/index.js';
import type { Services } from '../../services/index.js';
import { requireUser } from '../plugins/session-auth.js';
import { P, statusResponse, Str, Uuid } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'callApi'>;

const Number_ = (what: string) => Str('^\\+[0-9]{3,20}$', what);

const IDEMPOTENCY =
  'Beyond the spec: an `Idempotency-Key` header (1...255 printable ASCII characters) makes the request ' +
  'idempotent. The first request with a key runs; a retry with the same key by the same user within 24 hours, ' +
  'on any API node, gets the first answer (the same uuid, or the same status) and starts nothing new. ' +
  'A retry that arrives while the first request still runs waits for its answer.';

const Headers = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: '^[\\x21-\\x7e]{1,255}$',
      description: 'see the description: retries within 24 h',
    }),
  ),
});

const idempotencyKey = (request: FastifyRequest): string | undefined => {
  const v = request.headers['idempotency-key'];
  return typeof v === 'string' ? v : undefined;
};

const Control = Type.Object(
  {
    control: Type.String({
      description:
        'ring, progress, answer, hangup, bridge, split, sleep, silence, tone, play, record_start, record_stop, ' +
        'dtmf_collect, dtmf_send',
    }),
    id: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: true },
);

const CallView = Type.Object(
  {
    incoming: Type.Boolean(),
    to: Type.String(),
    from: Type.String(),
    clip: Type.Optional(Type.String()),
    clir: Type.Boolean(),
    status: Type.String({ description: 'init, calling, progress, ringing, answered, hangup' }),
    create_time: Type.Integer(),
    answer_time: Type.Optional(Type.Integer()),
    hangup_time: Type.Optional(Type.Integer()),
    hangup_cause: Type.Optional(Type.Integer({ description: 'Q.850 cause' })),
    current_control_id: Type.Optional(Type.String()),
    last_control_id: Type.Optional(Type.String()),
    record_on: Type.Boolean(),
    recording: Type.Optional(Type.String()),
    bridge: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Spec 3.24: the call API (GET /api/call/event is in event-subscription.ts). */
export function registerCallRoutes(app: FastifyInstance, services: Deps): void {
  const { callApi } = services;

  app.get(
    '/api/call',
    {
      schema: {
        tags: ['call'],
        summary: "Get details of the current user's calls within the call API",
        description:
          '`state=active` (default): ongoing calls; `state=hangup`: finished calls (kept in the database). ' +
          '`uuid` returns that call alone, whatever its state.',
        querystring: Type.Object({
          from: Type.Optional(Type.String()),
          to: Type.Optional(Type.String()),
          start: Type.Optional(Uuid),
          order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
          count: Type.Optional(Type.String()),
          uuid: Type.Optional(Uuid),
          state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('hangup')])),
        }),
        response: statusResponse({}, Type.Object({ call: Type.Record(Type.String(), CallView) })),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const q = request.query as Record<string, string | undefined>;
      if (q['uuid'] !== undefined) {
        return {
          call: await callApi.list(userId, { uuid: q['uuid'], state: 'active', order: 'asc', count: 1 }),
        };
      }
      let page;
      try {
        page = parsePage(q, 10);
      } catch (err) {
        if (err instanceof PagingError) throw new ServiceError('wrong-syntax', err.message);
        throw err;
      }
      const call = await callApi.list(userId, {
        state: q['state'] === 'hangup' ? 'hangup' : 'active',
        order: page.order,
        count: page.count,
        ...(q['from'] !== undefined ? { from: Number(q['from']) } : {}),
        ...(q['to'] !== undefined ? { to: Number(q['to']) } : {}),
        ...(page.start ? { start: page.start.uuid } : {}),
      });
      return { call };
    },
  );

  app.post(
    '/api/call/dial',
    {
      schema: {
        tags: ['call'],
        summary: 'Create an outgoing call within the call API',
        description:
          'The call starts in status `init` and passes the call filter (service `call_api`), the call limit and ' +
          'the credit check of every carrier call; a refusal ends it (a call_update with status `hangup` and ' +
          'its Q.850 cause). ' +
          IDEMPOTENCY,
        headers: Headers,
        body: Type.Object({
          to: Number_('the destination phone number'),
          from: Number_("the calling phone number, one of the current user's numbers"),
          clip: Type.Optional(Number_('an arbitrary phone number for display (CLIP)')),
          clir: Type.Optional(
            Type.Boolean({ description: 'default false; true restricts the presentation (CLIR)' }),
          ),
        }),
        response: statusResponse(
          {
            'wrong-phone': "The given `from` number does not match any of the user's phone numbers",
            'locked-phone': 'The given `from` number is not unlocked yet',
          },
          Type.Object({ uuid: Type.String({ pattern: P.uuid }) }),
        ),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      return callApi.dial(userId, request.body, idempotencyKey(request));
    },
  );

  app.post(
    '/api/call/:uuid/control',
    {
      schema: {
        tags: ['call'],
        summary: 'Execute one or more actions on the call via the call API',
        description:
          '`queue`: `append` (default) adds the controls after those queued, `clear` replaces the queued ones, ' +
          '`break` also interrupts the running control. The whole list is checked against the state the ' +
          'controls before each lead to. An incoming call that gets no control within CALL_API_IDLE_S seconds ' +
          '(default 30) is rejected with Q.850 cause 102 (recovery on timer expiry). ' +
          IDEMPOTENCY,
        headers: Headers,
        params: Type.Object({ uuid: Uuid }),
        body: Type.Object({
          queue: Type.Optional(
            Type.Union([Type.Literal('append'), Type.Literal('clear'), Type.Literal('break')]),
          ),
          controls: Type.Array(Control),
        }),
        response: statusResponse({
          'illegal-state': 'The given control does not match the current call state',
          'wrong-call': 'The given call uuid is unknown',
          'wrong-object': 'Only for control play: the given announcement or recording UUID is invalid',
        }),
      },
    },
    async (request) => {
      const { userId } = requireUser(request);
      const { uuid } = request.params as { uuid: string };
      return callApi.control(userId, uuid, request.body, idempotencyKey(request));
    },
  );
}
