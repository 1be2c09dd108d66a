import { Redis } from 'ioredis';

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
  constructor(
    readonly url: string,
    cause: string,
  ) {
    super(
      `callplane: cannot reach Redis at ${url} (${cause}) — start it with ` +
        `'redis-server --daemonize yes' (Debian: apt-get install redis-server) or set REDIS_URL`,
    );
  }
}

/**
 * Connects and pings once with a short deadline, so a missing Redis is one
 * clear error instead of an endless reconnect loop. After that, ioredis
 * reconnects on its own.
 */
export async function connectRedis(url: string, timeoutMs = 3000): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  client.on('error', () => undefined); // surfaced through command failures, not as crashes
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs)),
    ]);
  } catch (err) {
    client.disconnect();
    const e = err as NodeJS.ErrnoException;
    throw new RedisUnavailableError(url, e.code ?? e.message);
  }
  return client;
}
