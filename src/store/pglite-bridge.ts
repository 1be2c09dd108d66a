/**
 * The embedded PGlite database for more than one process (issue 14, roles
 * isolated): PGlite is a library inside the process that opened it, so
 * under `callplane start` the API's process owns it and serves it on a Unix
 * socket in DATA_DIR, and the telephony process reaches it through a Kysely
 * pool over that socket. Its SIP and RTP thus run in a process of their
 * own on the default database too.
 *
 * One socket connection is one session: its first statement takes the
 * owner's single PGlite connection (PGlitePool: nothing interleaves with a
 * transaction), `release` gives it back. A client that goes away while it
 * holds the connection has its transaction rolled back. Frames are a 4-byte
 * length and a V8-serialised message, so dates, buffers and bigints arrive
 * as they left; database errors keep their SQLSTATE `code` and details.
 */
import fs from 'node:fs';
import net from 'node:net';
import v8 from 'node:v8';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

type Request = { id: number; t: 'q'; sql: string; params: readonly unknown[] } | { id: number; t: 'r' };
type Reply = { id: number; res?: PostgresQueryResult<unknown>; err?: Record<string, unknown> };

/** The socket's name in DATA_DIR. */
export const BRIDGE_SOCKET = 'db.sock';
/** Frames above this are refused (a result set this large is a bug, not a query). */
const MAX_FRAME = 256 * 1024 * 1024;
const ERROR_FIELDS = [
  'name',
  'message',
  'code',
  'detail',
  'hint',
  'constraint',
  'table',
  'column',
  'schema',
  'severity',
];

/** Splits a byte stream into frames. */
function framer(onFrame: (payload: Buffer) => void, onBad: () => void): (chunk: Buffer) => void {
  let buf: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    while (buf.length >= 4) {
      const len = buf.readUInt32BE(0);
      if (len > MAX_FRAME) {
        onBad();
        return;
      }
      if (buf.length < 4 + len) return;
      const payload = buf.subarray(4, 4 + len);
      buf = buf.subarray(4 + len);
      onFrame(payload);
    }
  };
}

function frame(message: unknown): Buffer {
  const body = v8.serialize(message);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

function errorFields(err: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (err && typeof err === 'object')
    for (const k of ERROR_FIELDS) {
      const v = (err as Record<string, unknown>)[k];
      if (v !== undefined && (typeof v === 'string' || typeof v === 'number')) out[k] = v;
    }
  if (out['message'] === undefined) out['message'] = String(err);
  return out;
}

/**
 * Serves `pool` (the owner's PGlitePool) on the Unix socket `socketPath`
 * (mode 0600: only this user). Answers the stop function.
 */
export async function serveDatabaseBridge(
  pool: PostgresPool,
  socketPath: string,
): Promise<() => Promise<void>> {
  // A socket file left by a process that died is in the way; a live owner would hold the data directory lock.
  fs.rmSync(socketPath, { force: true });
  const sessions = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sessions.add(socket);
    let held: PostgresPoolClient | null = null;
    let chain: Promise<void> = Promise.resolve();
    const release = async (rollback: boolean): Promise<void> => {
      const client = held;
      held = null;
      if (!client) return;
      // A transaction its client left open must not stay open for the next one.
      if (rollback) await client.query('ROLLBACK', []).catch(() => undefined);
      client.release();
    };
    const handle = async (req: Request): Promise<void> => {
      if (req.t === 'r') {
        await release(false);
        return;
      }
      let reply: Reply;
      try {
        held ??= await pool.connect();
        reply = { id: req.id, res: await held.query(req.sql, req.params) };
      } catch (err) {
        reply = { id: req.id, err: errorFields(err) };
      }
      if (!socket.destroyed) socket.write(frame(reply));
    };
    socket.on(
      'data',
      framer(
        (payload) => {
          let req: Request;
          try {
            req = v8.deserialize(payload) as Request;
          } catch {
            socket.destroy();
            return;
          }
          chain = chain.then(() => handle(req));
        },
        () => socket.destroy(),
      ),
    );
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sessions.delete(socket);
      chain = chain.then(() => release(true));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  fs.chmodSync(socketPath, 0o600);
  return async () => {
    for (const s of sessions) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(socketPath, { force: true });
  };
}

export class DatabaseBridgeError extends Error {}

/** One socket to the owner: a session, reused by the pool between leases. */
class Session {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (r: PostgresQueryResult<unknown>) => void; reject: (e: Error) => void }
  >();
  closed = false;

  constructor(private readonly socket: net.Socket) {
    socket.on(
      'data',
      framer(
        (payload) => {
          const reply = v8.deserialize(payload) as Reply;
          const w = this.waiting.get(reply.id);
          if (!w) return;
          this.waiting.delete(reply.id);
          if (reply.err) w.reject(Object.assign(new Error(String(reply.err['message'])), reply.err));
          else w.resolve(reply.res!);
        },
        () => socket.destroy(),
      ),
    );
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.values())
        w.reject(new DatabaseBridgeError('the database owner process closed the connection'));
      this.waiting.clear();
    });
  }

  query(sql: string, params: readonly unknown[]): Promise<PostgresQueryResult<unknown>> {
    if (this.closed) return Promise.reject(new DatabaseBridgeError('the database bridge is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.socket.write(frame({ id, t: 'q', sql, params }));
    });
  }

  release(): void {
    if (!this.closed) this.socket.write(frame({ id: 0, t: 'r' }));
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export interface BridgePoolOptions {
  /** How long connect() keeps trying while the owner is not up yet (ms). */
  connectTimeoutMs?: number;
  /** Idle sessions kept for reuse. */
  maxIdle?: number;
}

/** Kysely's PostgresDialect pool over the owner's socket. */
export class BridgePool implements PostgresPool {
  readonly options = {};
  private readonly idle: Session[] = [];
  private readonly all = new Set<Session>();
  private ended = false;

  constructor(
    private readonly socketPath: string,
    private readonly opts: BridgePoolOptions = {},
  ) {}

  async connect(): Promise<PostgresPoolClient> {
    if (this.ended) throw new DatabaseBridgeError('the database bridge pool has ended');
    let session = this.idle.pop();
    while (session?.closed) session = this.idle.pop();
    session ??= await this.open();
    const s = session;
    let released = false;
    return {
      query: ((sql: string, params: readonly unknown[]) =>
        s.query(sql, params ?? [])) as PostgresPoolClient['query'],
      release: () => {
        if (released) return;
        released = true;
        s.release();
        if (!s.closed && !this.ended && this.idle.length < (this.opts.maxIdle ?? 4)) this.idle.push(s);
        else s.destroy();
      },
    };
  }

  /** A new session; while the owner is starting, tries again until the timeout. */
  private async open(): Promise<Session> {
    const until = Date.now() + (this.opts.connectTimeoutMs ?? 60_000);
    for (;;) {
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(this.socketPath);
          s.once('connect', () => {
            s.off('error', reject);
            resolve(s);
          });
          s.once('error', reject);
        });
        const session = new Session(socket);
        this.all.add(session);
        socket.once('close', () => this.all.delete(session));
        return session;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || Date.now() > until)
          throw new DatabaseBridgeError(
            `the embedded database's owner process does not answer on ${this.socketPath} (${code ?? String(err)})`,
          );
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Closes every session, leased ones too (the owner rolls back what they left open). */
  async end(): Promise<void> {
    this.ended = true;
    this.idle.length = 0;
    for (const s of this.all) s.destroy();
    this.all.clear();
  }
}
