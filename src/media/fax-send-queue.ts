import { Queue, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { faxSendJobId, type FaxSendJob, type FaxSendQueue } from '../services/fax-send.js';
import type { FaxSender } from '../services/fax-sender.js';
import { bullPrefix } from './queue.js';
import { closableWorker } from '../lib/closable-redis.js';

/**
 * The BullMQ queue of fax sends (spec 3.13 send), apart from the media
 * queue: its jobs are calls a telephony node places, not conversions any
 * worker runs. One job per attempt, id `fax.send-<report>-<attempt>`, so a
 * repeated enqueue adds nothing and a retry is a new, delayed job.
 */
export const FAX_SEND_QUEUE_NAME = 'fax-send';

export class BullFaxSendQueue implements FaxSendQueue {
  private queue: Queue | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly redisPrefix: string,
  ) {}

  bull(): Queue {
    this.queue ??= new Queue(FAX_SEND_QUEUE_NAME, {
      connection: this.redis,
      prefix: bullPrefix(this.redisPrefix),
    });
    return this.queue;
  }

  async enqueue(job: FaxSendJob, delayMs = 0): Promise<void> {
    await this.bull().add('fax.send', job, {
      jobId: faxSendJobId(job),
      delay: delayMs,
      // Retries are the sender's own (new jobs with back-off); a crash restarts
      // the job through BullMQ's stalled check, which the sender turns into a new attempt.
      attempts: 1,
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
    });
  }

  async remove(job: Pick<FaxSendJob, 'report' | 'attempt'>): Promise<boolean> {
    const found = await this.bull().getJob(faxSendJobId(job));
    if (!found) return false;
    const state = await found.getState();
    if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
    await found.remove();
    return true;
  }

  async close(): Promise<void> {
    const q = this.queue;
    this.queue = undefined;
    if (q) await q.close();
  }
}

export interface FaxSendWorkerOptions {
  redisUrl: string;
  redisPrefix: string;
  /** Fax calls this node places at once. */
  concurrency: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  onError?: (err: Error) => void;
}

/** Runs the fax send jobs on a telephony node (the FaxSender holds the node's dialer). */
export function startFaxSendWorker(sender: FaxSender, opts: FaxSendWorkerOptions): Worker<FaxSendJob> {
  const worker = closableWorker<FaxSendJob>(
    FAX_SEND_QUEUE_NAME,
    (job: Job<FaxSendJob>) => sender.run(job.data),
    opts.redisUrl,
    {
      prefix: bullPrefix(opts.redisPrefix),
      concurrency: opts.concurrency,
      // A crashed node's job is taken over (as a new attempt) once its lock expires.
      maxStalledCount: 10,
      ...(opts.lockDurationMs !== undefined ? { lockDuration: opts.lockDurationMs } : {}),
      ...(opts.stalledIntervalMs !== undefined ? { stalledInterval: opts.stalledIntervalMs } : {}),
    },
  );
  const onError =
    opts.onError ?? ((err: Error) => process.stderr.write(`callplane fax send: ${err.message}\n`));
  worker.on('failed', (_job, err) => onError(err));
  worker.on('error', onError);
  return worker;
}
