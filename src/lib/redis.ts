import { Redis, type Command } from 'ioredis';

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
 * A client whose commands of one turn of the event loop leave in one socket
 * write. ioredis writes each command to the socket as it is sent: a
 * REGISTER's six commands, or the commands of many SIP messages read in
 * the same turn, each cost a system call. Here the first command of a turn
 * corks the socket and the loop's check phase (setImmediate: after every
 * I/O callback of the turn has run) uncorks it, so they go out together
 * (one writev). A command waits at most for the rest of its turn; on
 * machines where a system call is dear this took about 9 % off the CPU of
 * a REGISTER (BENCHMARKS.md). ioredis's own enableAutoPipelining batches by
 * the same turn too, but through a Pipeline and a promise per command; it
 * did not lower that CPU measurably. duplicate() gives plain clients
 * (subscribers and blocking pops have no use for this).
 */
export class CoalescingRedis extends Redis {
  private corked: Redis['stream'] | null = null;

  private readonly uncork = (): void => {
    const stream = this.corked;
    this.corked = null;
    stream?.uncork();
  };

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    if (this.corked === null && stream === undefined && this.status === 'ready' && this.stream.writable) {
      this.corked = this.stream;
      this.stream.cork();
      setImmediate(this.uncork);
    }
    return super.sendCommand(command, stream);
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
  const client = new CoalescingRedis(url, {
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
