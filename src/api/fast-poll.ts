import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { PollAbort, type SessionEvents } from '../events/session-events.js';
import { pollAnswer, timeoutAnswer, type RawEvent } from '../events/raw-event.js';
import type { Metrics } from '../metrics/index.js';
import type { Session, SessionStore } from '../services/session-store.js';
import { toApiError } from './plugins/envelope.js';
import { confirmsCdrs } from './routes/event.js';

/**
 * The long-poll of spec 3.27 (`GET /api/event`) answered on the connection
 * itself, before Node's HTTP server and Fastify see it.
 *
 * Why: a client polls again after every answer, so at 10,000 deliveries/s
 * the REST surface handles 10,000 requests/s that all look alike. Node's
 * HTTP objects (IncomingMessage, ServerResponse and their streams) and
 * Fastify's request, reply and hooks were most of the CPU of a delivery and
 * most of its garbage (BENCHMARKS.md, events); here a poll is a parsed
 * head, one session lookup in memory and one socket write.
 *
 * What it answers: a well-formed HTTP/1.1 `GET /api/event` with a Host,
 * no body, no upgrade and no `Connection: close`, whose query holds only
 * `timeout`, `next` and `sid` in their plain forms, from a session this
 * process knows (or finds in Redis) whose Origin fits, answered `ok` (the
 * events) or `timeout`. Everything else, down to a request it would answer
 * with an error, goes with all its bytes to Node's HTTP server and Fastify,
 * which answer it as they answer every request: a connection is handed over
 * once and for good, at the start of a request, so a client that does
 * other calls on the same connection gets exactly the REST surface. The
 * answers are the same bytes Fastify sends for the route (the headers
 * included, test/api/fast-poll.test.ts compares them), and they count in
 * GET /metrics under the route as before.
 */

/** Node's default limit of a request head (`--max-http-header-size`): larger heads are Node's to refuse. */
const MAX_HEAD = 16 * 1024;
/** Bytes a client may send ahead while its poll is parked before reading from it pauses. */
const MAX_AHEAD = 64 * 1024;
const PREFIX = 'GET /api/event';
const ROUTE = '/api/event';
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e]*$/;
const DIGITS = /^[0-9]+$/;
const SID = /^[A-Za-z0-9._~-]{1,256}$/;
const BEARER = /^bearer\s+/i;

export interface FastPollDeps {
  sessions: Pick<SessionStore, 'peek' | 'get'>;
  reader: Pick<SessionEvents, 'pollInto'>;
  metrics?: Pick<Metrics, 'http'> | undefined;
  log: { error(obj: object, msg: string): void };
}

/** What a head asks, when the fast path can answer it. */
interface Poll {
  sid: string;
  origin: string | undefined;
  timeout: number;
  next: number;
}

/**
 * Puts the fast path in front of `app.server`'s HTTP handling. Call it once
 * the app is built (no later `connection` listener may be added).
 */
export function installFastPoll(app: FastifyInstance, deps: FastPollDeps): void {
  const server = app.server;
  const http = server.listeners('connection') as Array<(socket: Socket) => void>;
  const fast = new FastPoll(server, http, deps);
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => fast.adopt(socket));
  // Fastify closes Node's idle connections when it closes; these are the fast path's.
  app.addHook('preClose', (done) => {
    fast.closing();
    done();
  });
}

class FastPoll {
  private readonly live = new Set<PollConnection>();
  private closed = false;
  private dateSecond = -1;
  private date = '';

  constructor(
    readonly server: Server,
    private readonly http: Array<(socket: Socket) => void>,
    readonly deps: FastPollDeps,
  ) {}

  adopt(socket: Socket): void {
    if (this.closed) return this.handOver(socket, null);
    this.live.add(new PollConnection(this, socket));
  }

  get isClosing(): boolean {
    return this.closed;
  }

  forget(conn: PollConnection): void {
    this.live.delete(conn);
  }

  /** The socket and the bytes read from it go to Node's HTTP server, as if it had just connected. */
  handOver(socket: Socket, bytes: Buffer | null): void {
    if (bytes !== null && bytes.length > 0) socket.unshift(bytes);
    for (const listener of this.http) listener.call(this.server, socket);
    // Node reads on once its parser listens; the unshifted bytes come first.
    socket.resume();
  }

  /** Idle connections go now, as Node's idle ones do; parked polls are answered and their connections end. */
  closing(): void {
    this.closed = true;
    for (const conn of [...this.live]) conn.close();
  }

  /** Node's `Date` header, computed once a second. */
  dateHeader(): string {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.date = new Date(now).toUTCString();
    }
    return this.date;
  }
}

/** One client connection while the fast path answers it. */
class PollConnection {
  /** The client went away: nothing more is written. */
  private clientGone = false;
  /**
   * Its polls' abort signal: the client went away, or the server is closing
   * (a parked poll answers now, `timeout`, and the client polls another node).
   */
  private readonly signal = new PollAbort();
  private buffered: Buffer | null = null;
  /** The head of the poll being answered (given back with the rest if it goes to Node after all). */
  private head: Buffer | null = null;
  private busy = false;
  /** Requests answered at once are read in a loop, not by recursion (a client may pipeline thousands). */
  private reading = false;
  private readAgain = false;
  /** Answers wait in the socket for the client to read them: the next request waits too. */
  private draining = false;
  private done = false;
  private readonly onData = (chunk: Buffer): void => this.safely(() => this.received(chunk));
  private readonly onEnd = (): void => this.ended();
  private readonly onClose = (): void => this.gone();
  private readonly onError = (): void => undefined;
  private readonly onTimeout = (): void => this.idleTimeout();
  private readonly onDrain = (): void => this.drained();

  constructor(
    private readonly owner: FastPoll,
    private readonly socket: Socket,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
    socket.on('timeout', this.onTimeout);
    this.waitForHead();
  }

  /** The server closes: an idle connection goes now, a parked poll is answered and its connection ends. */
  close(): void {
    if (this.done) return;
    if (!this.busy) {
      this.release();
      this.socket.destroy();
      return;
    }
    this.signal.abort();
  }

  private received(chunk: Buffer): void {
    this.buffered = this.buffered === null ? chunk : Buffer.concat([this.buffered, chunk]);
    if (this.busy || this.draining) {
      // A client writing ahead of a parked poll (pipelining) waits for it, as with Node.
      if (this.buffered.length > MAX_AHEAD) this.socket.pause();
      return;
    }
    this.readRequests();
  }

  /** nextRequest() until one waits (parked, for more bytes, for the client to read) or the connection goes. */
  private readRequests(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        this.nextRequest();
      } while (this.readAgain && !this.done);
    } finally {
      this.reading = false;
    }
  }

  /** A fault of this code costs the connection, never the process. */
  private safely(step: () => void): void {
    try {
      step();
    } catch (err) {
      this.owner.deps.log.error({ err }, 'long-poll connection failed');
      this.release();
      this.socket.destroy();
    }
  }

  /** Reads the next request from what is buffered: answers it here, waits for more, or hands over. */
  private nextRequest(): void {
    const buf = this.buffered;
    if (buf === null) return this.waitForHead();
    // Anything but this route's request line goes to Node at its first byte that differs.
    const n = Math.min(buf.length, PREFIX.length);
    if (buf.toString('latin1', 0, n) !== PREFIX.slice(0, n)) return this.handOver();
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) {
      // Bare line feeds, or a head too large, are for Node's parser to judge.
      if (buf.length > MAX_HEAD || hasBareLineFeed(buf)) return this.handOver();
      return this.waitForHead();
    }
    if (end + 4 > MAX_HEAD) return this.handOver();
    const poll = parseHead(buf.toString('latin1', 0, end));
    if (poll === null) return this.handOver();
    this.head = buf.subarray(0, end + 4);
    this.buffered = buf.length > end + 4 ? buf.subarray(end + 4) : null;
    this.busy = true;
    this.socket.setTimeout(0);
    const started = performance.now();
    const kept = this.owner.deps.sessions.peek(poll.sid);
    if (kept !== undefined) return this.answer(poll, kept, started);
    this.owner.deps.sessions.get(poll.sid).then(
      (session) =>
        this.safely(() => {
          if (this.done) return;
          if (session === null) return this.handOver();
          this.answer(poll, session, started);
        }),
      () => {
        if (!this.done) this.safely(() => this.handOver());
      },
    );
  }

  private answer(poll: Poll, session: Session, started: number): void {
    // A foreign Origin is Fastify's to refuse (wrong-origin).
    if (session.origin && poll.origin !== undefined && poll.origin !== session.origin) return this.handOver();
    if (this.clientGone) return this.finish();
    this.owner.deps.reader.pollInto(
      poll.sid,
      poll.next,
      poll.timeout * 1000,
      this.signal,
      confirmsCdrs(session),
      (err, events) => this.safely(() => this.send(poll, err, events, started)),
    );
  }

  private send(poll: Poll, err: Error | null, events: RawEvent[], started: number): void {
    if (this.done || this.clientGone) return;
    let status: string;
    let body: string;
    if (err !== null) {
      const failure = toApiError(err, this.owner.deps.log);
      status = failure.status;
      body = JSON.stringify({ status, message: failure.message });
    } else if (events.length === 0) {
      status = 'timeout';
      body = timeoutAnswer(poll.next);
    } else {
      status = 'ok';
      body = pollAnswer(events);
    }
    const closing = this.owner.isClosing;
    const connection = closing
      ? 'Connection: close'
      : `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(this.owner.server.keepAliveTimeout / 1000)}`;
    this.socket.write(
      'HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\nDate: ${this.owner.dateHeader()}\r\n${connection}\r\n\r\n${body}`,
    );
    const http = this.owner.deps.metrics?.http;
    if (http) {
      http.duration.observe(ROUTE, 'GET', 200, (performance.now() - started) / 1000);
      http.answers.inc(ROUTE, status);
    }
    this.head = null;
    this.busy = false;
    if (closing) {
      this.release();
      this.socket.end();
      return;
    }
    // A client that does not read its answers gets no more until it does, as with Node's server.
    if (this.socket.writableNeedDrain) {
      this.draining = true;
      this.socket.setTimeout(this.owner.server.keepAliveTimeout);
      this.socket.pause();
      this.socket.once('drain', this.onDrain);
      return;
    }
    if (this.socket.isPaused()) this.socket.resume();
    this.readRequests();
  }

  private drained(): void {
    if (this.done) return;
    this.draining = false;
    this.socket.resume();
    this.readRequests();
  }

  private waitForHead(): void {
    const server = this.owner.server;
    // Node's limits: keepAliveTimeout between requests, headersTimeout for a head begun.
    this.socket.setTimeout(this.buffered === null ? server.keepAliveTimeout : server.headersTimeout);
  }

  private idleTimeout(): void {
    if (!this.busy) {
      this.release();
      this.socket.destroy();
    }
  }

  private ended(): void {
    // Node's server does not keep half-open connections: the client is gone.
    this.socket.end();
  }

  private gone(): void {
    this.clientGone = true;
    this.release();
    this.signal.abort();
  }

  private finish(): void {
    this.release();
    this.socket.destroy();
  }

  /** Gives the connection, with the current request's bytes and all after them, to Node's server. */
  private handOver(): void {
    if (this.done) return;
    const parts = [this.head, this.buffered].filter((b): b is Buffer => b !== null);
    this.release();
    this.socket.pause();
    this.socket.setTimeout(0);
    if (this.socket.destroyed) return;
    this.owner.handOver(this.socket, parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  }

  private release(): void {
    if (this.done) return;
    this.done = true;
    this.busy = false;
    this.head = null;
    this.buffered = null;
    const s = this.socket;
    s.removeListener('data', this.onData);
    s.removeListener('end', this.onEnd);
    s.removeListener('close', this.onClose);
    s.removeListener('error', this.onError);
    s.removeListener('timeout', this.onTimeout);
    s.removeListener('drain', this.onDrain);
    // A socket that is gone still needs a listener for a late error.
    if (s.destroyed) s.on('error', this.onError);
    this.owner.forget(this);
  }
}

/** A `\n` not preceded by `\r`: a head Node may parse that this path would wait on forever. */
function hasBareLineFeed(buf: Buffer): boolean {
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) {
    if (i === 0 || buf[i - 1] !== 13) return true;
  }
  return false;
}

/**
 * The poll a head asks for, or null when Node and Fastify must judge it
 * (anything not plainly a valid poll, errors included).
 */
export function parseHead(head: string): Poll | null {
  const lineEnd = head.indexOf('\r\n');
  const requestLine = lineEnd < 0 ? head : head.slice(0, lineEnd);
  if (!requestLine.startsWith('GET ') || !requestLine.endsWith(' HTTP/1.1')) return null;
  const target = requestLine.slice(4, -9);
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (path !== '/api/event' && path !== '/api/event/') return null;
  let timeout = 55;
  let next = 0;
  let querySid: string | undefined;
  if (q >= 0) {
    const seen = new Set<string>();
    for (const pair of target.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) return null;
      const key = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (seen.has(key)) return null;
      seen.add(key);
      if (key === 'timeout') {
        if (value.length > 3 || !DIGITS.test(value)) return null;
        timeout = Number(value);
        if (timeout > 300) return null;
      } else if (key === 'next') {
        if (value.length > 15 || !DIGITS.test(value)) return null;
        next = Number(value);
      } else if (key === 'sid') {
        if (!SID.test(value)) return null;
        querySid = value;
      } else {
        return null;
      }
    }
  }
  let host = 0;
  let authorization: string | undefined;
  let cookie: string | undefined;
  let origin: string | undefined;
  if (lineEnd >= 0) {
    for (const line of head.slice(lineEnd + 2).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) return null;
      const name = line.slice(0, colon);
      if (!TOKEN.test(name)) return null;
      const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
      if (!FIELD_VALUE.test(value)) return null;
      switch (name.toLowerCase()) {
        case 'host':
          host++;
          break;
        case 'authorization':
          if (authorization !== undefined) return null;
          authorization = value;
          break;
        case 'cookie':
          if (cookie !== undefined) return null;
          cookie = value;
          break;
        case 'origin':
          if (origin !== undefined) return null;
          origin = value;
          break;
        case 'connection': {
          const v = value.toLowerCase();
          if (v.includes('close') || v.includes('upgrade')) return null;
          break;
        }
        case 'content-length':
        case 'transfer-encoding':
        case 'upgrade':
        case 'expect':
          return null;
        default:
          break;
      }
    }
  }
  // Node refuses an HTTP/1.1 request without exactly one Host.
  if (host !== 1) return null;
  const sid = sidFrom(authorization, cookie, querySid);
  if (sid === null) return null;
  return { sid, origin, timeout, next };
}

/** The sid as the session check takes it (plugins/session-auth.ts sidOf): Bearer, cookie, then query. */
function sidFrom(
  authorization: string | undefined,
  cookie: string | undefined,
  query: string | undefined,
): string | null {
  if (authorization !== undefined && BEARER.test(authorization)) {
    const sid = authorization.replace(BEARER, '').trim();
    return SID.test(sid) ? sid : null;
  }
  if (cookie !== undefined) {
    let found: string | undefined;
    for (const part of cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim() !== 'sid') continue;
      // A second sid, or one that would need decoding, is the cookie parser's to read.
      if (found !== undefined) return null;
      found = part.slice(eq + 1).trim();
      if (found !== '' && !SID.test(found)) return null;
    }
    if (found) return found;
  }
  return query ?? null;
}
