import { Redis, type RedisOptions } from 'ioredis';
import type { Worker } from 'bullmq';

/**
 * The Redis client of a BullMQ worker: one that ends when it is closed while
 * it waits to reconnect.
 *
 * Told to disconnect while it waits to reconnect (Redis is down), ioredis
 * clears its timer and does nothing more: no 'end' event, and the commands it
 * holds for the next connection (a worker's BZPOPMIN) wait forever
 * (redis/ioredis#2169). BullMQ's Worker.close() waits for that 'end', so a
 * worker closed while Redis was down never finished closing, and neither did
 * the process shutting down (taskforcesh/bullmq#4656).
 *
 * Here such a disconnect first starts the next connection, which the
 * disconnect then closes before it opens: ioredis ends the client the way a
 * failed connect does. The held commands fail with "Connection is closed."
 * and 'end' follows.
 */
export class WorkerRedis extends Redis {
  override disconnect(reconnect = false): void {
    if (!reconnect && this.status === 'reconnecting') this.connect().catch(() => undefined);
    super.disconnect(reconnect);
  }

  /** BullMQ duplicates the worker's connection for its blocking one. */
  override duplicate<O extends Partial<RedisOptions> | undefined = undefined>(
    override?: O,
  ): ReturnType<Redis['duplicate']> {
    // The options ioredis's own duplicate() would use; a worker asks no RESP3 reply mapping.
    return new WorkerRedis({ ...this.options, ...override, replyMapping: 'legacy' });
  }
}

/**
 * The connection for one BullMQ worker. BullMQ leaves a connection it was
 * given open, so pass the worker to `closeWithWorker` once it exists.
 */
export function workerConnection(url: string): WorkerRedis {
  // Blocking commands must wait through reconnects, never fail after N retries.
  const redis = new WorkerRedis(url, { maxRetriesPerRequest: null });
  // While the worker runs, its 'error' event reports connection errors; this keeps the
  // moments before it attaches and after it detaches from printing them.
  redis.on('error', () => undefined);
  return redis;
}

/** Closes the connection once the worker has closed. */
export function closeWithWorker(worker: Worker, redis: WorkerRedis): void {
  worker.once('closed', () => redis.disconnect());
}
