import { Redis, type RedisOptions } from 'ioredis';
import { Worker, type Processor, type WorkerOptions } from 'bullmq';

/**
 * A Redis client that ends when it is closed while it waits to reconnect:
 * for connections that block (BZPOPMIN, BLPOP) and whose owner waits for
 * them to finish when it stops.
 *
 * Told to disconnect while it waits to reconnect (Redis is down), ioredis
 * clears its timer and does nothing more: no 'end' event, and the commands it
 * holds for the next connection (a blocking pop) wait forever
 * (redis/ioredis#2169). BullMQ's Worker.close() waits for that 'end'
 * (taskforcesh/bullmq#4656), and a loop of blocking pops waits for its
 * pending pop: so a worker or a loop stopped while Redis was down never
 * finished stopping, and neither did the process shutting down.
 *
 * Here such a disconnect first starts the next connection, which the
 * disconnect then closes before it opens: ioredis ends the client the way a
 * failed connect does. The held commands fail with "Connection is closed."
 * and 'end' follows.
 */
export class ClosableRedis extends Redis {
  override disconnect(reconnect = false): void {
    if (!reconnect && this.status === 'reconnecting') this.connect().catch(() => undefined);
    super.disconnect(reconnect);
  }

  /** BullMQ duplicates a worker's connection for its blocking one. */
  override duplicate<O extends Partial<RedisOptions> | undefined = undefined>(
    override?: O,
  ): ReturnType<Redis['duplicate']> {
    return closableDuplicate(this, override);
  }
}

/** A closable connection with `redis`'s options, as ioredis's own duplicate() makes them. */
export function closableDuplicate(redis: Redis, override?: Partial<RedisOptions>): ClosableRedis {
  // No RESP3 reply mapping is asked anywhere here.
  return new ClosableRedis({ ...redis.options, ...override, replyMapping: 'legacy' });
}

/**
 * A BullMQ worker on a closable connection of its own (BullMQ duplicates it
 * for the blocking one). BullMQ leaves a connection it was given open: it is
 * closed here once the worker has closed; and while the worker closes, it is
 * ended when Redis is down. The close waits for the worker's loop, which may
 * wait on a command of this connection (no retry limit: it would wait for
 * Redis to come back). Ended, the command fails and the loop stops; a job
 * that was running is taken over once its lock expires, as after a crash.
 */
export function closableWorker<D>(
  name: string,
  processor: Processor<D>,
  redisUrl: string,
  opts: Omit<WorkerOptions, 'connection'>,
): Worker<D> {
  const redis = workerConnection(redisUrl);
  const worker = new Worker<D>(name, processor, { ...opts, connection: redis });
  const endIfDown = (): void => {
    if (redis.status !== 'ready') redis.disconnect();
  };
  worker.once('closing', () => {
    endIfDown();
    redis.on('reconnecting', endIfDown);
  });
  worker.once('closed', () => {
    redis.off('reconnecting', endIfDown);
    redis.disconnect();
  });
  return worker;
}

/** The closable connection of one worker. */
export function workerConnection(url: string): ClosableRedis {
  // Blocking commands must wait through reconnects, never fail after N retries.
  const redis = new ClosableRedis(url, { maxRetriesPerRequest: null });
  // While the worker runs, its 'error' event reports connection errors; this keeps the
  // moments before it attaches and after it detaches from printing them.
  redis.on('error', () => undefined);
  return redis;
}
