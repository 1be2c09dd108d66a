import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** Constant-time comparison of a presented key with ADMIN_KEY (hashes first, so lengths never leak). */
export function sameKey(given: string, key: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(key).digest();
  return timingSafeEqual(a, b);
}

/**
 * The admin key from `X-Admin-Key`, `Authorization: Bearer`, or the password
 * of HTTP basic auth (any user name, so a browser can ask for it).
 */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-admin-key'];
  if (typeof header === 'string' && header !== '') return header;
  const auth = request.headers.authorization;
  if (!auth) return undefined;
  if (/^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim() || undefined;
  if (!/^basic\s+/i.test(auth)) return undefined;
  const decoded = Buffer.from(auth.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}
