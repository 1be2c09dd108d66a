import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PushEvent } from '../domain/push/push-events.js';
import type { PushJob } from './jobs.js';

export const PUSH_QUEUE_NAME = 'push';
/** The custom backoff of device jobs: exponential, or the provider's Retry-After when longer. */
export const PUSH_BACKOFF = 'push';

/** BullMQ's key prefix, under the engine's own prefix like the media queue's. */
export function pushBullPrefix(redisPrefix: string): string {
  return `${redisPrefix}bull`;
}

export interface PushQueueOptions {
  attempts: number;
  backoffMs: number;
}

/**
 * Producer side of push delivery (spec 8.2). Jobs live in Redis (BullMQ), so
 * a push survives a crash of the process that asked for it or of the worker
 * sending it; the queue is made on first use on the services' connection.
 */
export class PushQueue {
  private queue: Queue<PushJob> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly redisPrefix: string,
    private readonly opts: PushQueueOptions,
  ) {}

  bull(): Queue<PushJob> {
    this.queue ??= new Queue<PushJob>(PUSH_QUEUE_NAME, {
      connection: this.redis,
      prefix: pushBullPrefix(this.redisPrefix),
    });
    return this.queue;
  }

  /**
   * Queues `event` for every device of `owner`. A `key` makes it idempotent:
   * the same key queued again (a retried conversion job, say) sends nothing twice.
   */
  async enqueue(owner: string, event: PushEvent, key?: string): Promise<void> {
    const jobId = key ?? randomUUID();
    await this.bull().add(
      'event',
      { kind: 'event', owner, event },
      {
        jobId: jobId.replace(/:/g, '.'),
        attempts: this.opts.attempts,
        backoff: { type: 'exponential', delay: this.opts.backoffMs },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
      },
    );
  }

  async close(): Promise<void> {
    const q = this.queue;
    this.queue = undefined;
    if (q) await q.close();
  }
}
