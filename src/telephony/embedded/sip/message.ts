/**
 * SIP messages (RFC 3261 §7): requests and responses with their headers and
 * body, parsed from and serialized to the wire. The parser is total: any
 * input yields a message or a ParseFailure (never an exception), with hard
 * limits on size and header count so hostile input cannot make it slow.
 */
import { splitOutside } from './uri.js';

export const MAX_MESSAGE_BYTES = 65_535;
const MAX_HEADERS = 128;
const MAX_HEADER_LINE = 8192;

/** RFC 3261 §7.3.3 compact forms (a Map: header names come from peers, `constructor` included). */
const COMPACT = new Map<string, string>([
  ['i', 'call-id'],
  ['m', 'contact'],
  ['e', 'content-encoding'],
  ['l', 'content-length'],
  ['c', 'content-type'],
  ['f', 'from'],
  ['s', 'subject'],
  ['k', 'supported'],
  ['t', 'to'],
  ['v', 'via'],
  ['o', 'event'],
  ['u', 'allow-events'],
  ['r', 'refer-to'],
  ['b', 'referred-by'],
  ['x', 'session-expires'],
]);

/** Headers whose comma-joined values are separate entries (RFC 3261 §7.3.1). */
const MULTI = new Set([
  'via',
  'route',
  'record-route',
  'contact',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'allow-events',
]);

const PRETTY: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'proxy-authenticate': 'Proxy-Authenticate',
  'p-asserted-identity': 'P-Asserted-Identity',
  'p-preferred-identity': 'P-Preferred-Identity',
  'user-to-user': 'User-to-User',
  rseq: 'RSeq',
  rack: 'RAck',
  'mime-version': 'MIME-Version',
};

/** The spellings above, and each other name once spelt (bounded: peers choose header names). */
const PRETTY_NAMES = new Map(Object.entries(PRETTY));
const PRETTY_NAMES_MAX = 1024;

export function prettyName(lower: string): string {
  let pretty = PRETTY_NAMES.get(lower);
  if (pretty === undefined) {
    pretty = lower.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
    if (PRETTY_NAMES.size < PRETTY_NAMES_MAX) PRETTY_NAMES.set(lower, pretty);
  }
  return pretty;
}

export const METHODS = [
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'INFO',
  'NOTIFY',
  'SUBSCRIBE',
  'PRACK',
  'UPDATE',
  'REFER',
  'MESSAGE',
  'PUBLISH',
] as const;
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export abstract class SipMessage {
  /** Lower-case name -> values in order. */
  readonly headers = new Map<string, string[]>();
  body: Buffer = EMPTY;

  get(name: string): string | undefined {
    return this.headers.get(name)?.[0];
  }

  getAll(name: string): string[] {
    return this.headers.get(name) ?? [];
  }

  set(name: string, value: string | number): this {
    this.headers.set(name.toLowerCase(), [String(value)]);
    return this;
  }

  add(name: string, value: string): this {
    const key = name.toLowerCase();
    const list = this.headers.get(key);
    if (list) list.push(value);
    else this.headers.set(key, [value]);
    return this;
  }

  /** Inserts before the existing values (a new top Via, RFC 3261 §8.1.1.7). */
  prepend(name: string, value: string): this {
    const key = name.toLowerCase();
    this.headers.set(key, [value, ...(this.headers.get(key) ?? [])]);
    return this;
  }

  remove(name: string): this {
    this.headers.delete(name.toLowerCase());
    return this;
  }

  get callId(): string {
    return this.get('call-id') ?? '';
  }

  /** CSeq number and method (validated when parsed). */
  get cseq(): { seq: number; method: string } {
    const v = this.get('cseq') ?? '';
    const sp = v.indexOf(' ');
    return { seq: Number(v.slice(0, sp)), method: v.slice(sp + 1).trim() };
  }

  setBody(contentType: string | null, body: Buffer | string): this {
    this.body = typeof body === 'string' ? Buffer.from(body) : body;
    if (contentType) this.set('content-type', contentType);
    else this.remove('content-type');
    return this;
  }

  protected abstract startLine(): string;

  toBuffer(): Buffer {
    let head = this.startLine() + '\r\n';
    for (const [name, values] of this.headers) {
      if (name === 'content-length') continue;
      const pretty = prettyName(name);
      for (const v of values) head += `${pretty}: ${v}\r\n`;
    }
    head += `Content-Length: ${this.body.length}\r\n\r\n`;
    return this.body.length === 0 ? Buffer.from(head) : Buffer.concat([Buffer.from(head), this.body]);
  }

  toString(): string {
    return this.toBuffer().toString('utf8');
  }
}

const EMPTY = Buffer.alloc(0);

export class SipRequest extends SipMessage {
  constructor(
    public method: string,
    public uri: string,
  ) {
    super();
  }
  protected startLine(): string {
    return `${this.method} ${this.uri} SIP/2.0`;
  }
}

export class SipResponse extends SipMessage {
  constructor(
    public status: number,
    public reason: string,
  ) {
    super();
  }
  protected startLine(): string {
    return `SIP/2.0 ${this.status} ${this.reason}`;
  }
}

export interface ParseFailure {
  error: string;
  /** A request whose start line and core headers were readable enough to answer 400. */
  partial?: SipRequest;
}

export type ParseResult = SipRequest | SipResponse | ParseFailure;

export function isParseFailure(r: ParseResult): r is ParseFailure {
  return (r as ParseFailure).error !== undefined;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Parses one complete datagram (UDP) or one framed message (TCP). */
export function parseMessage(buf: Buffer): ParseResult {
  if (buf.length > MAX_MESSAGE_BYTES) return { error: 'message too large' };
  const end = buf.indexOf(HEADER_END);
  let headText: string;
  let body: Buffer;
  if (end < 0) {
    // Tolerate a missing empty line on a bodiless datagram.
    headText = buf.toString('latin1').replace(/(\r?\n)+$/, '');
    body = EMPTY;
  } else {
    headText = buf.toString('latin1', 0, end);
    body = buf.subarray(end + 4);
  }
  const lines = unfold(headText.split(/\r?\n/));
  const first = lines.shift() ?? '';
  let msg: SipRequest | SipResponse;
  if (first.startsWith('SIP/2.0 ')) {
    const m = /^SIP\/2\.0 ([1-6][0-9]{2}) ?(.*)$/.exec(first);
    if (!m) return { error: 'bad status line' };
    msg = new SipResponse(Number(m[1]), m[2] ?? '');
  } else {
    const parts = first.split(' ');
    if (parts.length !== 3 || parts[2] !== 'SIP/2.0') return { error: 'bad request line' };
    const [method, uri] = parts as [string, string];
    if (!TOKEN.test(method) || uri.length === 0 || uri.length > 2048 || /[\s<>]/.test(uri))
      return { error: 'bad request line' };
    msg = new SipRequest(method, uri);
  }
  if (lines.length > MAX_HEADERS) return { error: 'too many headers' };
  for (const line of lines) {
    if (line.length === 0) continue;
    if (line.length > MAX_HEADER_LINE) return fail(msg, 'header line too long');
    const colon = line.indexOf(':');
    if (colon <= 0) return fail(msg, 'malformed header line');
    let name = line.slice(0, colon).trim().toLowerCase();
    if (!TOKEN.test(name)) return fail(msg, 'malformed header name');
    name = COMPACT.get(name) ?? name;
    const value = line.slice(colon + 1).trim();
    if (MULTI.has(name) && value.includes(',') && !(name === 'contact' && value === '*')) {
      for (const v of splitOutside(value, ',')) {
        const t = v.trim();
        if (t !== '') msg.add(name, t);
      }
    } else msg.add(name, value);
  }
  // Bytes are the wire truth: decode header values as UTF-8 now that framing is done.
  for (const [k, values] of msg.headers) msg.headers.set(k, values.map(utf8));

  const problem = validate(msg);
  if (problem) return fail(msg, problem);

  const cl = msg.get('content-length');
  if (cl !== undefined) {
    if (!/^[0-9]{1,6}$/.test(cl)) return fail(msg, 'bad Content-Length');
    const n = Number(cl);
    if (n > body.length) return fail(msg, 'body shorter than Content-Length');
    body = body.subarray(0, n);
  }
  msg.body = body.length === 0 ? EMPTY : Buffer.from(body);
  return msg;
}

function utf8(latin1: string): string {
  return /[^\x00-\x7f]/.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}

function fail(msg: SipRequest | SipResponse, error: string): ParseFailure {
  return msg instanceof SipRequest && msg.get('via') && msg.get('call-id')
    ? { error, partial: msg }
    : { error };
}

/** RFC 3261 §7.3.1 line folding: a line starting with white space continues the previous one. */
function unfold(lines: string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    if ((l.startsWith(' ') || l.startsWith('\t')) && out.length > 0) out[out.length - 1] += ' ' + l.trim();
    else out.push(l);
  }
  return out;
}

/** The mandatory headers of RFC 3261 §8.1.1 (To, From, CSeq, Call-ID, Via). */
function validate(msg: SipRequest | SipResponse): string | null {
  if (!msg.get('via')) return 'missing Via';
  if (!msg.get('from')) return 'missing From';
  if (!msg.get('to')) return 'missing To';
  const callId = msg.get('call-id');
  if (!callId || callId.length > 256 || /\s/.test(callId)) return 'missing or bad Call-ID';
  const cseq = /^([0-9]{1,10}) +([A-Za-z0-9\-.!%*_+`'~]+)$/.exec(msg.get('cseq') ?? '');
  if (!cseq || Number(cseq[1]) > 2 ** 31 - 1) return 'missing or bad CSeq';
  if (msg instanceof SipRequest && cseq[2] !== msg.method && !(msg.method === 'ACK' && cseq[2] === 'ACK'))
    return 'CSeq method does not match the request';
  if (parseVia(msg.get('via') ?? '') === null) return 'bad Via';
  return null;
}

export interface Via {
  transport: string;
  host: string;
  port: number | null;
  params: Map<string, string>;
}

/** `SIP/2.0/UDP host:port;branch=z9hG4bK..;rport` (RFC 3261 §20.42). */
export function parseVia(v: string): Via | null {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^;\s]+)\s*(;.*)?$/.exec(v);
  if (!m) return null;
  const hostport = m[2] ?? '';
  let host = hostport;
  let port: number | null = null;
  const ipv6 = hostport.startsWith('[');
  const pc = ipv6 ? hostport.indexOf(']:') + 1 : hostport.lastIndexOf(':');
  if (pc > 0) {
    host = hostport.slice(0, pc);
    const p = hostport.slice(pc + 1);
    if (!/^[0-9]{1,5}$/.test(p)) return null;
    port = Number(p);
  }
  const params = new Map<string, string>();
  for (const part of (m[3] ?? '').split(';')) {
    const t = part.trim();
    if (t === '') continue;
    const eq = t.indexOf('=');
    params.set((eq < 0 ? t : t.slice(0, eq)).trim().toLowerCase(), eq < 0 ? '' : t.slice(eq + 1).trim());
  }
  return { transport: (m[1] ?? '').toUpperCase(), host, port, params };
}

export function formatVia(v: Via): string {
  let s = `SIP/2.0/${v.transport} ${v.host}${v.port !== null ? `:${v.port}` : ''}`;
  for (const [k, val] of v.params) s += val === '' ? `;${k}` : `;${k}=${val}`;
  return s;
}

/** The `tag` parameter of a From/To value. */
export function tagOf(value: string | undefined): string | null {
  if (!value) return null;
  const m = /;\s*tag\s*=\s*([^;\s>]+)/i.exec(value.slice(value.lastIndexOf('>') + 1));
  return m ? (m[1] ?? null) : null;
}

/**
 * TCP framing (RFC 3261 §18.3): splits a stream into messages by
 * Content-Length. Linear in the bytes received however they are chunked: a
 * client trickling a 64 KB message a byte at a time must not cost a copy
 * and a header search of everything so far per byte (issue 14: fuzzing
 * found 100 ms for 10 KB in 9-byte chunks). Bytes go into a buffer grown by
 * doubling, the header end is searched only in what is new, and a found
 * header's message length is kept until the message is complete.
 */
export class StreamFramer {
  private store: Buffer = EMPTY;
  private start = 0;
  private end = 0;
  /** Bytes of the current message already searched for the header end. */
  private scanned = 0;
  /** Length of the current message once its header is complete; -1 before. */
  private total = -1;

  /** Bytes of a message begun but not complete (keep-alive CRLFs not counted). */
  get pending(): number {
    return this.end - this.start;
  }

  private append(chunk: Buffer): void {
    if (this.start === this.end) this.start = this.end = 0;
    if (this.end + chunk.length > this.store.length) {
      const live = this.end - this.start;
      const size = Math.max(this.store.length * 2, live + chunk.length, 4096);
      const next = Buffer.allocUnsafe(size);
      this.store.copy(next, 0, this.start, this.end);
      this.store = next;
      this.start = 0;
      this.end = live;
    }
    chunk.copy(this.store, this.end);
    this.end += chunk.length;
  }

  /** Feeds bytes; returns complete messages (raw) and whether the stream is beyond repair. */
  push(chunk: Buffer): { messages: Buffer[]; broken: boolean } {
    this.append(chunk);
    const messages: Buffer[] = [];
    for (;;) {
      if (this.total < 0) {
        // Keep-alive CRLFs between messages (RFC 5626 §3.5.1).
        while (this.start < this.end && (this.store[this.start] === 13 || this.store[this.start] === 10)) {
          this.start++;
          this.scanned = 0;
        }
        const view = this.store.subarray(this.start, this.end);
        const at = view.indexOf(HEADER_END, Math.max(0, this.scanned - 3));
        if (at < 0) {
          this.scanned = view.length;
          return { messages, broken: view.length > MAX_MESSAGE_BYTES };
        }
        const head = view.toString('latin1', 0, at);
        if (!/^(SIP\/2\.0 [0-9]{3}|[A-Za-z]+ \S+ SIP\/2\.0(\r\n|$))/.test(head))
          return { messages, broken: true };
        const m = /\r\n(?:content-length|l)[ \t]*:[ \t]*([0-9]+)/i.exec(head);
        const len = m ? Number(m[1]) : 0;
        if (len > MAX_MESSAGE_BYTES) return { messages, broken: true };
        this.total = at + 4 + len;
      }
      if (this.end - this.start < this.total) return { messages, broken: false };
      messages.push(Buffer.from(this.store.subarray(this.start, this.start + this.total)));
      this.start += this.total;
      this.total = -1;
      this.scanned = 0;
    }
  }
}
