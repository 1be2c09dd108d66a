/**
 * A lean HTTP/1.1 client for the event benchmark's clients: one keep-alive
 * TCP connection per session, one request at a time, answers framed by
 * Content-Length (what Fastify sends for JSON). Node's http.Agent costs
 * 35-50 µs of client CPU per long-poll answer and re-poll; 1,000 sessions
 * served by one client process then queue their reads behind each other,
 * which is the harness, not the server. This costs a few µs, like wrk's
 * hand-written parser. The bare baseline uses it too, so both sides of a
 * ratio go through the same client.
 */
import net from 'node:net';

const now = (): number => performance.timeOrigin + performance.now();
const HEADER_END = Buffer.from('\r\n\r\n');

export interface RawAnswer {
  status: number;
  body: string;
  /** Wall time the whole answer had arrived. */
  at: number;
}

export class RawHttp {
  private socket: net.Socket | null = null;
  private buf: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (a: RawAnswer) => void; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  static fromUrl(url: string): RawHttp {
    const u = new URL(url);
    return new RawHttp(u.hostname, Number(u.port));
  }

  private connect(): net.Socket {
    const s = net.connect(this.port, this.host);
    s.setNoDelay(true);
    s.on('data', (chunk: Buffer) => this.onData(chunk));
    const gone = (err?: Error): void => {
      if (this.socket !== s) return; // a connection already replaced
      this.socket = null;
      this.buf = Buffer.alloc(0);
      const w = this.waiting;
      this.waiting = null;
      w?.reject(err ?? new Error('connection closed'));
    };
    s.on('error', gone);
    s.on('close', () => gone());
    this.socket = s;
    return s;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
    if (this.waiting) return Promise.reject(new Error('one request at a time'));
    const s = this.socket ?? this.connect();
    let head = `GET ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      s.write(`${head}\r\n`);
    });
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const end = this.buf.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.buf.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!m) {
      this.fail(new Error('an answer without Content-Length'));
      return;
    }
    const total = end + 4 + Number(m[1]);
    if (this.buf.length < total) return;
    const at = now();
    const body = this.buf.subarray(end + 4, total).toString('utf8');
    this.buf = this.buf.subarray(total);
    const w = this.waiting;
    this.waiting = null;
    w?.resolve({ status, body, at });
  }

  private fail(err: Error): void {
    const w = this.waiting;
    this.waiting = null;
    this.socket?.destroy();
    this.socket = null;
    w?.reject(err);
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}
