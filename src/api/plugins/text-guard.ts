import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../../errors/index.js';
import { routeOf } from './route-of.js';

/**
 * Control characters are no text any spec field allows (spec 2.1:
 * wrong-syntax "included invalid characters"), and NUL cannot be stored at
 * all (PostgreSQL text and jsonb refuse it, which answered `fail`; issue 14,
 * item 6). Checked for every route before its schema: path parameters and
 * the query may hold none (a %00 in /api/partner/cdr/(phone) included),
 * JSON bodies none but tab, line feed and carriage return, in keys and
 * values at any depth. Upload routes (raw bytes) are not text.
 */
const IN_URL = /[\u0000-\u001f\u007f-\u009f]/;
const IN_BODY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** A value met while searching, with where it sits; its path is spelled out only for a finding. */
interface Found {
  v: unknown;
  parent: Found | null;
  key: string | number;
}

/** `a.b[2].c` from the root down (iterative, like the search). */
function pathOf(f: Found, root: string): string {
  const keys: Array<string | number> = [];
  for (let at: Found | null = f; at?.parent; at = at.parent) keys.push(at.key);
  let path = root;
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i]!;
    path = typeof k === 'number' ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`;
  }
  return path;
}

/**
 * The path of the first string holding a forbidden character, or null.
 * Iterative (bodies may nest deeply), and paths are built only for the one
 * found: the check runs on every request, nearly always finding nothing.
 */
export function findControlCharacter(value: unknown, forbidden: RegExp, root: string): string | null {
  const flat = flatStrings(value, forbidden, root);
  if (flat !== undefined) return flat;
  const stack: Found[] = [{ v: value, parent: null, key: '' }];
  while (stack.length > 0) {
    const f = stack.pop()!;
    const v = f.v;
    if (typeof v === 'string') {
      if (forbidden.test(v)) return pathOf(f, root);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], parent: f, key: i });
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        if (forbidden.test(k)) return `${pathOf(f, root)} key`;
        stack.push({ v: (v as Record<string, unknown>)[k], parent: f, key: k });
      }
    }
  }
  return null;
}

/**
 * findControlCharacter() for an object of strings only (a query, path
 * parameters), the common case, without the search's bookkeeping and in
 * its order (keys first, then values from the last); undefined for any
 * other value.
 */
function flatStrings(value: unknown, forbidden: RegExp, root: string): string | null | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  let keys = 0;
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    if (typeof o[k] !== 'string') return undefined;
    keys++;
  }
  if (keys === 0) return null;
  for (const k in o) {
    if (Object.prototype.hasOwnProperty.call(o, k) && forbidden.test(k)) return `${root} key`;
  }
  const names = Object.keys(o);
  for (let i = names.length - 1; i >= 0; i--) {
    const k = names[i]!;
    if (forbidden.test(o[k] as string)) return root === '' ? k : `${root}.${k}`;
  }
  return null;
}

function check(request: FastifyRequest): void {
  const where =
    findControlCharacter(request.params, IN_URL, '') ??
    findControlCharacter(request.query, IN_URL, '') ??
    (routeOf(request).config?.rawBody ? null : findControlCharacter(request.body, IN_BODY, ''));
  if (where !== null)
    throw new ServiceError('wrong-syntax', `'${where || 'request'}' contains a control character`);
}

export function installTextGuard(app: FastifyInstance): void {
  // A callback hook: an async one costs a promise per request.
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      check(request);
    } catch (err) {
      return done(err as Error);
    }
    done();
  });
}
