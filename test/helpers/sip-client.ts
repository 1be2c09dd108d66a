/**
 * A minimal SIP user agent over UDP for tests that need to look inside
 * messages sipp cannot check (digest variants, SUBSCRIBE/NOTIFY bodies):
 * sends requests, answers in-dialog requests 200, and keeps what arrives.
 */
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { digestResponse, type DigestAlgorithm } from '../../src/telephony/embedded/sip/digest.js';
import { parseMessage, SipRequest, SipResponse } from '../../src/telephony/embedded/sip/message.js';

export interface SipClient {
  port: number;
  /** Sends `lines` (CRLF-joined, Content-Length added) to 127.0.0.1:`to`. */
  send(lines: string[], to: number, body?: string): void;
  /** The next message matching `pred` (requests are answered 200 automatically). */
  next<T extends SipRequest | SipResponse>(
    pred: (m: SipRequest | SipResponse) => m is T,
    timeoutMs?: number,
  ): Promise<T>;
  close(): void;
}

export async function sipClient(): Promise<SipClient> {
  const sock = dgram.createSocket('udp4');
  const inbox: Array<SipRequest | SipResponse> = [];
  let wake: (() => void) | null = null;
  sock.on('message', (b, rinfo) => {
    const m = parseMessage(b);
    if (!(m instanceof SipRequest || m instanceof SipResponse)) return;
    if (m instanceof SipRequest && m.method !== 'ACK') {
      const ok = [
        'SIP/2.0 200 OK',
        ...m.getAll('via').map((v) => `Via: ${v}`),
        `From: ${m.get('from')}`,
        `To: ${m.get('to')}`,
        `Call-ID: ${m.callId}`,
        `CSeq: ${m.get('cseq')}`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      sock.send(Buffer.from(ok), rinfo.port, rinfo.address);
    }
    inbox.push(m);
    wake?.();
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return {
    port: sock.address().port,
    send: (lines, to, body = '') => {
      const text = [...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
      sock.send(Buffer.from(text), to, '127.0.0.1');
    },
    next: async <T extends SipRequest | SipResponse>(
      pred: (m: SipRequest | SipResponse) => m is T,
      timeoutMs = 5000,
    ) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const i = inbox.findIndex(pred);
        if (i >= 0) return inbox.splice(i, 1)[0] as T;
        if (Date.now() > until) throw new Error('sip client: no matching message');
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
    },
    close: () => sock.close(),
  };
}

export const isResponse = (m: SipRequest | SipResponse): m is SipResponse => m instanceof SipResponse;
export const isRequest =
  (method: string) =>
  (m: SipRequest | SipResponse): m is SipRequest =>
    m instanceof SipRequest && m.method === method;

/** An Authorization value answering `challenge` (qop=auth) with the account's password. */
export function digestAnswer(
  challenge: string,
  account: { name: string; domain: string; password: string },
  method: string,
  uri: string,
  algorithm: DigestAlgorithm = 'MD5',
): string {
  const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
  const credentials = {
    username: account.name,
    realm: account.domain,
    nonce,
    uri,
    response: '',
    algorithm,
    qop: 'auth' as const,
    cnonce: 'abcdef',
    nc: '00000001',
  };
  const ha1 = createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(`${account.name}:${account.domain}:${account.password}`)
    .digest('hex');
  const response = digestResponse({ method, credentials, ha1 });
  return `Digest username="${account.name}", realm="${account.domain}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=${algorithm}, qop=auth, cnonce="abcdef", nc=00000001`;
}
