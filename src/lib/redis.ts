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
  let connected = false;
  let firstError: NodeJS.ErrnoException | undefined;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 3,
    // No retries before the first connection, so a refused connection fails at once.
    retryStrategy: (times) => (connected ? Math.min(times * 200, 2000) : null),
  });
  client.on('error', (err: NodeJS.ErrnoException) => {
    firstError ??= err; // surfaced through command failures, not as crashes
  });
  try {
    await Promise.race([
      client.connect().then(async () => {
        await client.ping();
        connected = true;
      }),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs)),
    ]);
  } catch (err) {
    client.disconnect();
    const e = firstError ?? (err as NodeJS.ErrnoException);
    throw new RedisUnavailableError(url, e.code ?? e.message);
  }
  return client;
}

/**
 * Closes a connection that only subscribes. No UNSUBSCRIBE first: the
 * subscriptions end with the connection, and while Redis is down an
 * UNSUBSCRIBE would wait through the reconnect attempts (the stop waiting
 * with it). Messages already read are not handed on any more.
 */
export function endSubscriber(sub: Redis): void {
  sub.removeAllListeners('message');
  sub.removeAllListeners('messageBuffer');
  sub.disconnect();
}
