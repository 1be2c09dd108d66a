import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Services } from '../services/index.js';
import { audioHandlers } from './handlers/audio.js';
import { faxHandlers } from './handlers/fax.js';
import type { MediaHandler, MediaHandlers, MediaJobContext, MediaServices } from './handler-types.js';
import { MEDIA_ATTEMPTS, type MediaJob } from './jobs.js';
import { bullPrefix, MEDIA_QUEUE_NAME } from './queue.js';
import { startPushWorker } from '../push/worker.js';
import { closableWorker } from '../lib/closable-redis.js';

/**
 * A job started this often (each worker crash restarts it) is handed to its
 * handler with `giveUp`: set status `fail`, do not run the work again (it
 * may be what kills the worker). BullMQ's own stalled limit is the same
 * number, so BullMQ never drops a crashing job silently before a handler
 * could set `fail` (issue 4: no object stays in `convert` forever).
 */
export const MEDIA_MAX_STARTS = MEDIA_ATTEMPTS + 2;

export interface MediaWorkerOptions {
  /** Jobs run at once in this process (each gs/ffmpeg run is one child process). */
  concurrency: number;
  /** How long a job's lock lives without renewal; a crashed worker's job is taken over after it. */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired (stalled jobs). */
  stalledIntervalMs?: number;
  /** Replaces handlers (tests); the default is the fax and audio handler maps. */
  handlers?: Partial<MediaHandlers>;
  /** Where job failures and worker errors go; the default writes to stderr. */
  onError?: (err: Error, job?: MediaJob) => void;
  /** Also run push delivery (spec 8.2) when the services carry it; default true. */
  push?: boolean;
}

export interface RunningMediaWorker {
  worker: Worker<MediaJob>;
  close(): Promise<void>;
}

function defaultOnError(err: Error, job?: MediaJob): void {
  const what = job ? `${job.kind} ${job.objectId}` : 'worker';
  process.stderr.write(`callplane media: ${what}: ${err.message}\n`);
}

/**
 * The worker role: one BullMQ Worker on the media queue, dispatching each job
 * by its `kind` to the fax or audio handlers. Retries (3 attempts, exponential
 * backoff) come from the job options set by the queue.
 */
/** The worker process's services: the handlers' plus where it reports durations and readiness. */
export type WorkerServices = MediaServices & Pick<Services, 'metrics' | 'health'>;

export function startMediaWorker(
  services: WorkerServices & Partial<Pick<Services, 'push' | 'pushQueue'>>,
  opts: MediaWorkerOptions,
): RunningMediaWorker {
  const handlers: Partial<MediaHandlers> = { ...faxHandlers, ...audioHandlers, ...opts.handlers };
  const onError = opts.onError ?? defaultOnError;
  const durations = services.metrics.media.duration;

  const processJob = async (job: Job<MediaJob>): Promise<void> => {
    const started = performance.now();
    let outcome = 'failed';
    try {
      await runJob(job);
      outcome = 'ok';
    } finally {
      durations.observe({ kind: job.data.kind, outcome }, (performance.now() - started) / 1000);
    }
  };

  const runJob = async (job: Job<MediaJob>): Promise<void> => {
    const data = job.data;
    const handler = handlers[data.kind] as MediaHandler | undefined;
    if (!handler) throw new UnrecoverableError(`no handler for media job kind ${data.kind}`);
    const attempts = job.opts.attempts ?? 1;
    const giveUp = job.attemptsStarted >= MEDIA_MAX_STARTS;
    const ctx: MediaJobContext = {
      attempt: job.attemptsMade + 1,
      final: job.attemptsMade + 1 >= attempts || giveUp,
      giveUp,
      services,
      progress: async (percent) => {
        await job.updateProgress(Math.max(0, Math.min(100, Math.round(percent))));
      },
    };
    await handler(data, ctx);
  };

  const worker = closableWorker<MediaJob>(MEDIA_QUEUE_NAME, processJob, services.config.redisUrl, {
    prefix: bullPrefix(services.config.redisPrefix),
    concurrency: opts.concurrency,
    maxStalledCount: MEDIA_MAX_STARTS,
    ...(opts.lockDurationMs !== undefined ? { lockDuration: opts.lockDurationMs } : {}),
    ...(opts.stalledIntervalMs !== undefined ? { stalledInterval: opts.stalledIntervalMs } : {}),
  });
  worker.on('failed', (job, err) => onError(err, job?.data));
  worker.on('error', (err) => onError(err));
  // The worker role's other queue, push delivery, runs beside the media jobs: both are
  // background work any number of worker processes share through Redis.
  const push =
    opts.push !== false && services.push && services.pushQueue
      ? startPushWorker({ config: services.config, devices: services.push, queue: services.pushQueue })
      : null;
  // Readiness of this process (GET /ready) includes its worker while it runs.
  const unregister = services.health.register('worker', () => {
    if (!worker.isRunning()) throw new Error('the media worker is not running');
  });
  return {
    worker,
    close: async () => {
      unregister();
      await worker.close();
      await push?.close();
    },
  };
}
