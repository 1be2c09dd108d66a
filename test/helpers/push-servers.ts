/**
 * Local stand-ins for the push providers, for delivery tests: an HTTP/2
 * (cleartext h2c) server speaking the APNs provider API and an HTTP/1.1
 * server speaking FCM HTTP v1 plus the Google OAuth2 token endpoint. They
 * keep every request (method, path, headers, body) and verify each JWT with
 * the public key, so tests assert what a real provider would check. Each
 * answer can be scripted per request.
 */
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A verified JWT: header and claims, or null when the signature does not verify. */
export function verifyJwt(
  token: string,
  key: KeyObject,
): { header: Record<string, unknown>; claims: Record<string, unknown> } | null {
  const [h, c, s] = token.split('.');
  if (!h || !c || !s) return null;
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
  const ok =
    header['alg'] === 'ES256'
      ? verify(
          'sha256',
          Buffer.from(`${h}.${c}`),
          { key, dsaEncoding: 'ieee-p1363' },
          Buffer.from(s, 'base64url'),
        )
      : verify('sha256', Buffer.from(`${h}.${c}`), key, Buffer.from(s, 'base64url'));
  if (!ok) return null;
  return { header, claims: JSON.parse(Buffer.from(c, 'base64url').toString()) as Record<string, unknown> };
}

export function ecKeyPair(): { privatePem: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

export function rsaKeyPair(): { privatePem: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })),
  };
}

export interface FakeProvider {
  url: string;
  requests: SeenRequest[];
  /** Answers for the next requests, in order; afterwards the default (200). */
  script: ScriptedAnswer[];
  /** Resolves once `n` requests (of `path` prefix, when given) arrived. */
  waitFor: (n: number, pathPrefix?: string) => Promise<SeenRequest[]>;
  close(): Promise<void>;
}

function recorder(
  defaultAnswer: (r: SeenRequest) => ScriptedAnswer,
  scripted: (r: SeenRequest) => boolean = () => true,
): {
  requests: SeenRequest[];
  script: ScriptedAnswer[];
  answer: (r: SeenRequest) => ScriptedAnswer;
  waitFor: (n: number, pathPrefix?: string) => Promise<SeenRequest[]>;
} {
  const requests: SeenRequest[] = [];
  const script: ScriptedAnswer[] = [];
  const waiters: Array<() => void> = [];
  return {
    requests,
    script,
    answer: (r) => {
      requests.push(r);
      for (const w of waiters.splice(0)) w();
      return (scripted(r) ? script.shift() : undefined) ?? defaultAnswer(r);
    },
    waitFor: async (n, pathPrefix) => {
      const match = (): SeenRequest[] => requests.filter((r) => !pathPrefix || r.path.startsWith(pathPrefix));
      const until = Date.now() + 10_000;
      while (match().length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} requests, got ${match().length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return match();
    },
  };
}

/** The APNs provider API over h2c. */
export async function fakeApns(): Promise<FakeProvider> {
  const rec = recorder(() => ({ status: 200 }));
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const plain: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':')) plain[k] = String(v);
      const a = rec.answer({
        method: String(headers[':method']),
        path: String(headers[':path']),
        headers: plain,
        body: Buffer.concat(chunks).toString(),
      });
      stream.respond({
        ':status': a.status,
        'apns-id': '00000000-0000-0000-0000-000000000000',
        ...a.headers,
      });
      stream.end(a.body === undefined ? undefined : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: rec.requests,
    script: rec.script,
    waitFor: rec.waitFor,
    close: () =>
      new Promise<void>((r) => {
        // Open client sessions would keep close() waiting.
        for (const s of sessions) s.destroy();
        server.close(() => r());
      }),
  };
}

/**
 * FCM HTTP v1 and the OAuth2 token endpoint on one HTTP/1.1 server:
 * `POST /token` hands out `access-<n>` tokens, `POST /v1/projects/...` is the
 * send call (200 with a message name unless scripted otherwise).
 */
export async function fakeFcm(): Promise<FakeProvider & { tokenUrl: string }> {
  let issued = 0;
  // Scripted answers are for the send calls; the token endpoint always answers.
  const rec = recorder(
    (r) =>
      r.path === '/token'
        ? {
            status: 200,
            body: { access_token: `access-${++issued}`, expires_in: 3599, token_type: 'Bearer' },
          }
        : { status: 200, body: { name: 'projects/p/messages/1' } },
    (r) => r.path !== '/token',
  );
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = String(v);
      const a = rec.answer({
        method: req.method ?? '',
        path: req.url ?? '',
        headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    requests: rec.requests,
    script: rec.script,
    waitFor: rec.waitFor,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
