/**
 * Issue 14: nothing one client sends may break the envelope. A corpus of
 * generated bad requests over every route of the OpenAPI document (path
 * parameters, query, body, session), answered without an HTTP 5xx, always
 * in the envelope (spec 2.1: HTTP 200 with a spec status) except the 404 of
 * a file download, and never `fail` (bad input has its own statuses).
 * Deterministic: a fixed seed, so a failure names a request that fails
 * again.
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSpecStatus } from '../../src/errors/index.js';
import { newId } from '../../src/lib/ids.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let userSid: string;
let partnerSid: string;
beforeAll(async () => {
  h = await createHarness();
  userSid = (await h.user()).sid;
  partnerSid = (await h.partner()).sid;
});
afterAll(async () => {
  await h?.close();
});

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BAD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002',
  'tab\there',
  '\u007f',
  '\u0085',
  '\ud800',
  'x'.repeat(5000),
  '😀'.repeat(60),
  '../../etc/passwd',
  '%00',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '-1',
  '1e309',
  'null',
  '{}',
  '+4922116696000',
  '00000000-0000-0000-0000-000000000000',
];

function deep(n: number, arrays: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = arrays ? [v] : { a: v };
  return v;
}

const BAD_VALUES: unknown[] = [
  ...BAD_STRINGS,
  null,
  true,
  false,
  0,
  -1,
  3.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  [],
  {},
  ['\u0000'],
  { '\u0000': 1 },
  deep(200, true),
  deep(200, false),
  Array.from({ length: 3000 }, (_, i) => i),
];

const RAW_BODIES = ['not json', '{', '[]', 'null', '"str"', '123', '{"a":"\\u0000"}', '\u0000', '{"op":'];

const PATH_VALUES = [
  '%00',
  'a%00b',
  '%01',
  'x'.repeat(150),
  '%zz',
  '%E0%A4%A',
  '..',
  'a%20b',
  '%F0%9F%98%80',
  '-1',
  '0',
  '00000000-0000-0000-0000-000000000000',
  'self',
  'NaN',
  "'",
];

interface Operation {
  method: string;
  path: string;
  binary: boolean;
  rawBody: boolean;
  hasBody: boolean;
  properties: string[];
  query: string[];
}

function operations(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    // bull-board's HTML dashboard (off without ADMIN_KEY) is no API call of the spec.
    if (path.startsWith('/admin/')) continue;
    for (const [method, op] of Object.entries(ops)) {
      const responses = (op['responses'] ?? {}) as Record<string, unknown>;
      const body = op['requestBody'] as
        { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } | undefined;
      const content = body?.content ?? {};
      const json = content['application/json']?.schema;
      const params = (op['parameters'] ?? []) as Array<{ in: string; name: string }>;
      out.push({
        method: method.toUpperCase(),
        path,
        binary: '404' in responses,
        rawBody: body !== undefined && json === undefined,
        hasBody: body !== undefined || ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase()),
        properties: Object.keys(json?.properties ?? {}),
        query: params.filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return out;
}

/** encodeURIComponent, with a lone surrogate sent as its (invalid) UTF-8 bytes. */
function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

interface BadRequest {
  method: string;
  url: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** One bad request for an operation. */
function badRequest(op: Operation, rnd: () => number): BadRequest {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const url = op.path.replace(/\{[^}]+\}/g, () => {
    const r = rnd();
    if (r < 0.35) return newId();
    if (r < 0.5) return encode(String(pick(BAD_STRINGS)));
    return pick(PATH_VALUES);
  });
  const query: Record<string, string> = {};
  for (const name of [...op.query, 'next', 'page', 'filter']) {
    if (rnd() < 0.4) query[name] = String(pick(BAD_VALUES));
  }
  // A long-poll must not wait: timeout 0 or something that is no number at all. Every route gets it,
  // because a path element like '..' turns some URLs into GET /api/event.
  query['timeout'] = rnd() < 0.5 ? '0' : pick(['x', '-5', '1e309', '\u0000']);
  const headers: Record<string, string> = {};
  // Streams and session deletion with a real session would stall or end the run: other sessions only.
  const realSessionOk =
    op.path !== '/api/event/stream' && !(op.path === '/api/session' && op.method === 'DELETE');
  const s = rnd();
  if (realSessionOk && s < 0.45) headers['authorization'] = `Bearer ${userSid}`;
  else if (realSessionOk && s < 0.8) headers['authorization'] = `Bearer ${partnerSid}`;
  else if (s < 0.9) headers['authorization'] = `Bearer ${pick(['x', '\u0001', 'a'.repeat(300), ''])}`;
  let payload: string | Buffer | undefined;
  if (op.hasBody) {
    const b = rnd();
    if (op.rawBody) {
      payload =
        b < 0.5 ? Buffer.from(pick(RAW_BODIES)) : Buffer.from(Array.from({ length: 64 }, () => rnd() * 256));
    } else if (b < 0.15) {
      payload = pick(RAW_BODIES);
    } else {
      const obj: Record<string, unknown> = {};
      for (const p of op.properties) if (rnd() < 0.7) obj[p] = pick(BAD_VALUES);
      if (rnd() < 0.3) obj[pick(['\u0000', 'zz', '__proto__', 'constructor'])] = pick(BAD_VALUES);
      payload = JSON.stringify(b < 0.2 ? pick(BAD_VALUES) : obj);
    }
  }
  return {
    method: op.method,
    url,
    query,
    headers,
    ...(payload !== undefined ? { payload } : {}),
  };
}

/** What is wrong with an answer, or null. */
function judge(
  op: Operation,
  code: number,
  body: string,
  type: string,
  statuses: Map<string, number>,
): string | null {
  if (code >= 500) return `HTTP ${code}`;
  if (op.binary && code === 404) return body === '' ? null : 'download 404 with a body';
  if (op.binary && code === 200 && !/json/.test(type)) return null;
  if (code !== 200) return `HTTP ${code} ${body.slice(0, 80)}`;
  let status: unknown;
  try {
    status = (JSON.parse(body) as { status?: unknown }).status;
  } catch {
    return 'not JSON';
  }
  if (typeof status !== 'string' || !isSpecStatus(status)) return `status ${String(status)}`;
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  return status === 'fail' ? `fail ${body.slice(0, 120)}` : null;
}

describe('a corpus of bad requests over every OpenAPI route', () => {
  it('answers every one in the envelope: no 5xx, no fail, downloads 404 without a body', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(100);
    const perOp = Math.ceil(10_000 / ops.length);
    const rnd = prng(14);
    const requests = ops.flatMap((op) =>
      Array.from({ length: perOp }, () => ({ op, req: badRequest(op, rnd) })),
    );
    const violations: string[] = [];
    const statuses = new Map<string, number>();
    const cost = new Map<string, number>();
    let sent = 0;
    for (let i = 0; i < requests.length; i += 16) {
      await Promise.all(
        requests.slice(i, i + 16).map(async ({ op, req }) => {
          const t0 = performance.now();
          const res = await h.app.inject(req as InjectOptions);
          const key = `${op.method} ${op.path}`;
          cost.set(key, (cost.get(key) ?? 0) + performance.now() - t0);
          sent += 1;
          const body =
            typeof req.payload === 'string' ? req.payload : (req.payload?.toString('latin1') ?? '');
          const where = `${req.method} ${req.url} ${JSON.stringify(req.query)} ${body.slice(0, 80)}`;
          const problem = judge(op, res.statusCode, res.body, String(res.headers['content-type']), statuses);
          if (problem !== null) violations.push(`${problem}: ${where}`);
        }),
      );
    }
    if (process.env['CORPUS_PROFILE']) console.log([...cost].sort((a, b) => b[1] - a[1]).slice(0, 12));
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(violations.slice(0, 15)).toEqual([]);
    // The corpus reaches the routes' own checks, not only the session check.
    expect(statuses.get('wrong-syntax') ?? 0).toBeGreaterThan(1000);
  }, 600_000);
});
