import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../../errors/index.js';

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

/** The path of the first string holding a forbidden character, or null. Iterative: bodies may nest deeply. */
export function findControlCharacter(value: unknown, forbidden: RegExp, root: string): string | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [v, where] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (forbidden.test(v)) return where;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${where}[${i}]`]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        if (forbidden.test(k)) return `${where} key`;
        stack.push([item, where === '' ? k : `${where}.${k}`]);
      }
    }
  }
  return null;
}

/** Whether any string (key or value) in `value` holds a forbidden character; builds no paths. */
export function hasControlCharacter(value: unknown, forbidden: RegExp): boolean {
  if (typeof value === 'string') return forbidden.test(value);
  if (value === null || typeof value !== 'object') return false;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (forbidden.test(v)) return true;
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        if (forbidden.test(k)) return true;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return false;
}

/** The path of the first forbidden character of `value`, or null; paths are built only when there is one. */
function locate(value: unknown, forbidden: RegExp): string | null {
  return hasControlCharacter(value, forbidden) ? findControlCharacter(value, forbidden, '') : null;
}

function check(request: FastifyRequest): void {
  const where =
    locate(request.params, IN_URL) ??
    locate(request.query, IN_URL) ??
    (request.routeOptions.config?.rawBody ? null : locate(request.body, IN_BODY));
  if (where !== null)
    throw new ServiceError('wrong-syntax', `'${where || 'request'}' contains a control character`);
}

export function installTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => check(request));
}
