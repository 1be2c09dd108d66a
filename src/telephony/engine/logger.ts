/** The slice of a pino/Fastify logger the telephony engine writes to. */
import type { Logger } from '../adapter.js';

export type { Logger } from '../adapter.js';

export const silentLogger: Logger & { silent: true } = {
  silent: true,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * A logger whose every line carries `fields` (a call's uuid and SIP Call-ID):
 * what pino's child loggers do, over the engine's narrower Logger.
 */
export function withFields(log: Logger, fields: Record<string, unknown>): Logger {
  if (log === silentLogger) return log;
  // A pino logger makes a real child (its bindings are serialised once, not per line).
  const child = (log as { child?: (bindings: Record<string, unknown>) => Logger }).child;
  if (typeof child === 'function') return child.call(log, fields);
  return {
    debug: (obj, msg) => log.debug({ ...fields, ...obj }, msg),
    info: (obj, msg) => log.info({ ...fields, ...obj }, msg),
    warn: (obj, msg) => log.warn({ ...fields, ...obj }, msg),
    error: (obj, msg) => log.error({ ...fields, ...obj }, msg),
  };
}
