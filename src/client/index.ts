/**
 * The typed client of callplane's REST API (`callplane/client`): the calls
 * and their bodies typed from GET /api/openapi.json (openapi-typescript
 * types in ./openapi.ts and its parts in ./openapi/, openapi-fetch underneath), the session id sent as
 * `Authorization: Bearer` (spec 2), and the session's events as an async
 * iterator over long-poll or Server-Sent Events.
 *
 * ```ts
 * const cp = createCallplaneClient({ baseUrl: 'http://localhost:8080' });
 * await cp.login('johndoe47', 'secret12345');
 * const { phone } = await ok(cp.api.GET('/api/phone'));
 * for await (const e of cp.events()) console.log(e.event, e);
 * ```
 *
 * It imports nothing else of callplane, so it builds on its own (npm run build:client).
 */
import createClient, { type Client } from 'openapi-fetch';
import {
  CallplaneError,
  longPoll,
  serverSentEvents,
  type ApiEvent,
  type EventStreamOptions,
} from './events.js';
import type { paths } from './openapi.js';

export type { components, operations, paths } from './openapi.js';
export { CallplaneError, type ApiEvent, type EventStreamOptions } from './events.js';

export interface CallplaneClientOptions {
  /** Where the API is, e.g. `http://localhost:8080` (no trailing /api). */
  baseUrl: string;
  /** A session id to use from the start (else `login` or `session` makes one). */
  sid?: string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

export interface CallplaneClient {
  /** Every call of the API, typed: `api.GET('/api/fax/{uuid}', { params: { path: { uuid } } })`. */
  readonly api: Client<paths>;
  /** The session id in use. */
  sid: string | undefined;
  /** Opens a new session (GET /api/session) and uses it; returns its sid. */
  session(): Promise<string>;
  /** A new session authenticated with a user's username (or e-mail) and password (spec 3.1). */
  login(username: string, password: string): Promise<void>;
  /** A new session authenticated with a partner's name and key (spec 3.1). */
  loginPartner(partner: string, key: string): Promise<void>;
  /** Ends the session (DELETE /api/session). */
  logout(): Promise<void>;
  /** The session's events, in order, without end (until `signal` aborts). */
  events(opts?: EventStreamOptions): AsyncGenerator<ApiEvent>;
}

type Answer<T> = Promise<{ data?: T; error?: unknown; response: Response }>;

/**
 * The body of an answer with status `ok`; throws CallplaneError with the
 * spec status and message otherwise (and for HTTP errors).
 */
export async function ok<T>(answer: Answer<T>): Promise<T> {
  const { data, error, response } = await answer;
  const body = (data ?? error) as { status?: unknown; message?: unknown } | undefined;
  if (!response.ok || !body || typeof body !== 'object') {
    throw new CallplaneError('fail', `HTTP ${response.status} for ${response.url}`);
  }
  if (body.status !== 'ok') {
    throw new CallplaneError(String(body.status), typeof body.message === 'string' ? body.message : '');
  }
  return data as T;
}

export function createCallplaneClient(opts: CallplaneClientOptions): CallplaneClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const api = createClient<paths>({ baseUrl, fetch: (request) => fetchImpl(request) });
  const client: CallplaneClient = {
    api,
    sid: opts.sid,
    async session() {
      const s = await ok(api.GET('/api/session'));
      client.sid = s.sid;
      return client.sid;
    },
    async login(username, password) {
      await client.session();
      await ok(api.POST('/api/session', { body: { username, password } }));
    },
    async loginPartner(partner, key) {
      await client.session();
      await ok(api.POST('/api/session', { body: { partner, key } }));
    },
    async logout() {
      await ok(api.DELETE('/api/session'));
      client.sid = undefined;
    },
    events(options = {}) {
      const src = { baseUrl, headers, fetch: fetchImpl };
      return options.transport === 'sse' ? serverSentEvents(src, options) : longPoll(src, options);
    },
  };
  function headers(): Record<string, string> {
    return client.sid ? { authorization: `Bearer ${client.sid}` } : {};
  }
  api.use({
    onRequest({ request }) {
      if (client.sid && !request.headers.has('authorization'))
        request.headers.set('authorization', `Bearer ${client.sid}`);
      return request;
    },
  });
  return client;
}
