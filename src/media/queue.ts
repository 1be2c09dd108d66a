import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { MEDIA_ATTEMPTS, mediaJobId, type MediaJob, type MediaQueue } from './jobs.js';

/** The one BullMQ queue of the media role (fax, audio and TTS jobs alike). */
export const MEDIA_QUEUE_NAME = 'media';

/** BullMQ's key prefix: under the engine's own prefix, so tests with a random prefix stay apart. */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}bull`;
}

/**
 * The producer side. The BullMQ Queue is made on first use and shares the
 * services' Redis connection (producers never block), so an API process that
 * never enqueues opens nothing and has nothing to close.
 */
export class BullMediaQueue implements MediaQueue {
  private queue: Queue | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly redisPrefix: string,
  ) {}

  /** The BullMQ queue itself (bull-board shows it). */
  bull(): Queue {
    if (!this.queue) {
      this.queue = new Queue(MEDIA_QUEUE_NAME, {
        connection: this.redis,
        prefix: bullPrefix(this.redisPrefix),
      });
      // Connection errors reach callers as failed commands (and /ready); without a
      // listener BullMQ would print each reconnect attempt to stderr.
      this.queue.on('error', () => undefined);
    }
    return this.queue;
  }

  async enqueue(job: MediaJob): Promise<void> {
    // A job id already known to BullMQ (waiting, active, or kept after completion) is
    // not added again: this is what makes a repeated enqueue of the same upload idempotent.
    await this.bull().add(job.kind, job, {
      jobId: mediaJobId(job),
      attempts: MEDIA_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
    });
  }

  async close(): Promise<void> {
    const q = this.queue;
    this.queue = undefined;
    // The shared connection stays open: the services own it.
    if (q) await q.close();
  }
}
