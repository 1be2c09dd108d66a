import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { PushConfig } from '../config/index.js';
import { apnsPayload, apnsTopicOf, gcmData } from '../domain/push/push-events.js';
import { pushClients } from './clients.js';
import { deviceJobId, type PushDevice, type PushDeviceDirectory, type PushJob } from './jobs.js';
import type { PushOutcome } from './outcome.js';
import { PUSH_BACKOFF, PUSH_QUEUE_NAME, pushBullPrefix, type PushQueue } from './queue.js';
import { closableWorker } from '../lib/closable-redis.js';

/** The longest wait between two tries of one device. */
const MAX_BACKOFF_MS = 3_600_000;

export interface PushWorkerDeps {
  config: { redisUrl: string; redisPrefix: string; push: PushConfig };
  devices: PushDeviceDirectory;
  queue: PushQueue;
  /** Where failures go; the default writes one line to stderr. */
  onError?: (message: string) => void;
}

export interface RunningPushWorker {
  worker: Worker<PushJob>;
  close(): Promise<void>;
}

/** A failed try worth repeating, carrying the provider's Retry-After to the backoff. */
class RetryLater extends Error {
  override name = 'RetryLater';
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

/** Delay before try `attemptsMade + 1`: exponential from backoffMs, at least Retry-After. */
export function pushBackoff(attemptsMade: number, backoffMs: number, err?: Error): number {
  const exp = backoffMs * 2 ** Math.max(0, attemptsMade - 1);
  const after = err instanceof RetryLater ? (err.retryAfterMs ?? 0) : 0;
  return Math.min(MAX_BACKOFF_MS, Math.max(exp, after));
}

/**
 * Delivery of push events (spec 8.2) to APNs and FCM, run by the worker role.
 * `event` jobs fan out to one `device` job per registered device (ids derived
 * from the event's, so a fan-out retried after a crash adds no duplicates);
 * `device` jobs send and act on the provider's answer: a dead token (APNs
 * 410, FCM UNREGISTERED) is removed, throttling and server errors are tried
 * again with back-off, anything else is given up at once.
 */
export function startPushWorker(deps: PushWorkerDeps): RunningPushWorker {
  const cfg = deps.config.push;
  const log = deps.onError ?? ((m: string) => process.stderr.write(`callplane push: ${m}\n`));
  const { apns, fcm } = pushClients(cfg);

  const send = async (d: PushDevice, job: Extract<PushJob, { kind: 'device' }>): Promise<PushOutcome> => {
    if (d.system === 'apns') {
      return apns!.send({
        deviceToken: d.token,
        sandbox: d.sandbox,
        topic: apnsTopicOf(d.applicationId ?? '', d.apnsTopic),
        pushType: 'background',
        payload: apnsPayload(job.owner, job.event),
      });
    }
    return fcm!.send(d.token, gcmData(job.owner, job.event));
  };

  const fanOut = async (job: Job<PushJob>, data: Extract<PushJob, { kind: 'event' }>): Promise<number> => {
    const devices = (await deps.devices.devicesOf(data.owner)).filter((d) =>
      d.system === 'apns' ? apns !== null : fcm !== null,
    );
    if (devices.length === 0) return 0;
    await deps.queue.bull().addBulk(
      devices.map((d) => ({
        name: 'device',
        data: { kind: 'device', owner: data.owner, system: d.system, token: d.token, event: data.event },
        opts: {
          jobId: deviceJobId(job.id ?? 'event', d.system, d.token),
          attempts: cfg.attempts,
          backoff: { type: PUSH_BACKOFF },
          removeOnComplete: { age: 3600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
        },
      })),
    );
    return devices.length;
  };

  const deliver = async (data: Extract<PushJob, { kind: 'device' }>): Promise<string> => {
    const d = await deps.devices.device(data.system, data.token);
    // Deleted, or moved to another user since the event: the device is no longer the owner's.
    if (!d || d.userId !== data.owner) return 'gone';
    const outcome = await send(d, data);
    switch (outcome.kind) {
      case 'sent':
        return 'sent';
      case 'dead':
        await deps.devices.removeDead(d.system, d.token, outcome.sinceMs);
        return `removed: ${outcome.reason}`;
      case 'retry':
        throw new RetryLater(outcome.reason, outcome.retryAfterMs);
      default:
        throw new UnrecoverableError(outcome.reason);
    }
  };

  const worker = closableWorker<PushJob>(
    PUSH_QUEUE_NAME,
    async (job) => (job.data.kind === 'event' ? fanOut(job, job.data) : deliver(job.data)),
    deps.config.redisUrl,
    {
      prefix: pushBullPrefix(deps.config.redisPrefix),
      concurrency: cfg.concurrency,
      settings: {
        backoffStrategy: (attemptsMade, _type, err) => pushBackoff(attemptsMade, cfg.backoffMs, err),
      },
    },
  );
  worker.on('failed', (job, err) => {
    const d = job?.data;
    const what = d?.kind === 'device' ? `${d.event.message} to ${d.system} device` : 'push event';
    const final = !job || err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) log(`${what}: ${err.message}`);
  });
  worker.on('error', (err) => log(err.message));
  return {
    worker,
    close: async () => {
      await worker.close();
      apns?.close();
    },
  };
}
