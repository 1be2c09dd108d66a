import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FilterSyntaxError } from '../../domain/event-filter.js';
import { PollAbort } from '../../events/session-events.js';
import { pollAnswer, timeoutAnswer } from '../../events/raw-event.js';
import type { Services } from '../../services/index.js';
import type { Session } from '../../services/session-store.js';
import { ServiceError } from '../../errors/index.js';
import { statusResponse } from '../schemas/common.js';

/** What these routes use of the services. */
type Deps = Pick<Services, 'eventSystem'>;

const Next = Type.String({
  pattern: '^[0-9]{1,15}$',
  description: 'id of the next event wanted (default 0)',
});

/**
 * Aborts when the client goes away before the answer is sent, or when the
 * server closes (then the poll answers at once).
 */
class ClientGone extends PollAbort {
  /** The server is closing: the answer ends the connection. */
  stopping = false;

  constructor(reply: FastifyReply) {
    super();
    const raw = reply.raw;
    // Only a close before the answer is finished is the client going away.
    raw.on('close', () => {
      if (!raw.writableFinished) this.abort();
    });
  }

  stop(): void {
    this.stopping = true;
    this.abort();
  }
}

/**
 * Whether a session's event cursor must be told to the partner CDR delivery
 * (a round trip per answer): a partner session, or one that subscribed to
 * CDRs while it was one. No other session is ever handed a CDR.
 */
export function confirmsCdrs(session: Session): boolean {
  return session.kind === 'partner' || session.cdrEvents === true;
}

/** The cursor of a stream request: `Last-Event-ID` (SSE resume) wins over `next`. */
function streamCursor(request: FastifyRequest): number {
  const last = request.headers['last-event-id'];
  if (typeof last === 'string' && /^[0-9]{1,15}$/.test(last.trim())) return Number(last.trim()) + 1;
  const next = (request.query as { next?: string }).next;
  return next === undefined ? 0 : Number(next);
}

export function registerEventRoutes(app: FastifyInstance, services: Deps): void {
  const { reader, filters } = services.eventSystem;
  // Parked polls answer when the server closes: Node would keep their connections until they time out.
  const parked = new Set<ClientGone>();
  app.addHook('preClose', (done) => {
    for (const signal of [...parked]) signal.stop();
    done();
  });

  app.get(
    '/api/event',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['event'],
        summary: 'Get pending events of the session; blocks until one arrives or the timeout passes',
        querystring: Type.Object({
          timeout: Type.Optional(
            Type.String({ pattern: '^[0-9]{1,3}$', description: 'seconds, 0...300, default 55' }),
          ),
          next: Type.Optional(Next),
          sid: Type.Optional(Type.String()),
        }),
        response: statusResponse(
          { timeout: 'the timeout passed before an event arrived' },
          Type.Object({
            event: Type.Array(Type.Object({}, { additionalProperties: true })),
            next: Type.Integer(),
          }),
        ),
      },
    },
    // Not async: a parked poll keeps no promise or async frame, the poll answers through a callback.
    (request, reply) => {
      const q = request.query as { timeout?: string; next?: string };
      const timeout = q.timeout === undefined ? 55 : Number(q.timeout);
      if (timeout > 300) throw new ServiceError('wrong-syntax', 'timeout must be between 0 and 300 seconds');
      const next = q.next === undefined ? 0 : Number(q.next);
      const session = request.session as Session;
      const signal = new ClientGone(reply);
      parked.add(signal);
      reader.pollInto(session.sid, next, timeout * 1000, signal, confirmsCdrs(session), (err, events) => {
        parked.delete(signal);
        if (signal.stopping) reply.header('connection', 'close');
        if (err !== null) return void reply.send(err);
        // The stored JSON texts put together: nothing parsed or serialised per event.
        const body = events.length === 0 ? timeoutAnswer(next) : pollAnswer(events);
        void reply.type('application/json; charset=utf-8').send(body);
      });
    },
  );

  app.post(
    '/api/event/filter',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['event'],
        summary: "Attach a filter to the session's event stream",
        body: Type.Object({ op: Type.String() }, { additionalProperties: true }),
        response: statusResponse(),
      },
    },
    async (request) => {
      try {
        await filters.attach((request.session as Session).sid, request.body);
      } catch (err) {
        if (err instanceof FilterSyntaxError) throw new ServiceError('wrong-syntax', err.message);
        throw err;
      }
      return {};
    },
  );

  app.delete(
    '/api/event/filter',
    {
      config: { auth: 'session' },
      schema: { tags: ['event'], summary: "Remove the session's event filter", response: statusResponse() },
    },
    async (request) => {
      await filters.detach((request.session as Session).sid);
      return {};
    },
  );

  // Beyond the spec: the same session stream as Server-Sent Events, resumable with Last-Event-ID.
  app.get(
    '/api/event/stream',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['event'],
        summary: 'Session events as Server-Sent Events (extension); resume with Last-Event-ID or next',
        querystring: Type.Object({ next: Type.Optional(Next), sid: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const session = request.session as Session;
      const signal = new ClientGone(reply);
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      reply.raw.write(': stream of session events\n\n');
      const write = (chunk: string): Promise<void> =>
        new Promise((resolve) => {
          if (reply.raw.write(chunk)) resolve();
          else reply.raw.once('drain', () => resolve());
        });
      await reader
        .stream(
          session.sid,
          streamCursor(request),
          async (events) => {
            const text = events
              .map((e) => `id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e)}\n\n`)
              .join('');
            await write(text);
          },
          signal,
          () => void write(': keepalive\n\n'),
          confirmsCdrs(session),
        )
        .catch((err: unknown) => request.log.warn({ err }, 'event stream ended'));
      reply.raw.end();
    },
  );

  // Beyond the spec: the same session stream over a WebSocket, one JSON event per message.
  // `wsHandler` (not `websocket: true`, which hides the route) keeps it in the
  // OpenAPI description; a plain GET without the upgrade answers `wrong-syntax`.
  app.route({
    method: 'GET',
    url: '/api/event/ws',
    config: { auth: 'session' },
    schema: {
      tags: ['event'],
      summary: 'Session events over a WebSocket (extension); one JSON event per message',
      description:
        'Upgrade with `Connection: Upgrade`, `Upgrade: websocket` (RFC 6455). The server then sends ' +
        'each event of the session as one text message, a JSON object like an entry of ' +
        '`GET /api/event` (`id`, `event`, `time` and the event fields), from `next` on (or after ' +
        'the id in `Last-Event-ID`), and pings when idle. The client sends nothing; closing the ' +
        'socket ends the stream. Authenticate with the sid as for every call (header, cookie or ' +
        '`sid` parameter, the only choice for browsers).',
      querystring: Type.Object({ next: Type.Optional(Next), sid: Type.Optional(Type.String()) }),
      response: {
        101: { description: 'Switching Protocols: the WebSocket stream of events', type: 'null' },
        ...statusResponse({}),
      },
    },
    // Every JSON answer is in the envelope (spec 2.1): a GET without the upgrade is a malformed call.
    handler: async () => {
      throw new ServiceError(
        'wrong-syntax',
        'a WebSocket upgrade is required (Connection: Upgrade, Upgrade: websocket)',
      );
    },
    wsHandler: (socket, request) => {
      const session = request.session as Session;
      const ctl = new AbortController();
      socket.on('close', () => ctl.abort());
      socket.on('error', () => ctl.abort());
      void reader
        .stream(
          session.sid,
          streamCursor(request),
          async (events) => {
            for (const e of events) {
              await new Promise<void>((resolve, reject) =>
                socket.send(JSON.stringify(e), (err) => (err ? reject(err) : resolve())),
              );
            }
          },
          ctl.signal,
          () => socket.ping(),
          confirmsCdrs(session),
        )
        .catch(() => socket.terminate());
    },
  });
}
