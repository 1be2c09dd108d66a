/** The slice of a pino/Fastify logger the telephony engine writes to. */
import type { Logger } from '../adapter.js';

export type { Logger } from '../adapter.js';

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
