import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { EventSystem } from '../events/index.js';
import type { BullMediaQueue } from '../media/queue.js';
import type { Metrics } from '../metrics/index.js';
import type { Db } from '../store/db.js';
import type { RegistrationStore } from '../store/redis/registrations.js';
import type { HealthService } from './health.js';

/** What the probes read. */
export interface ProbeSources {
  redis: Redis;
  db: Db;
  media: BullMediaQueue;
  eventSystem: EventSystem;
  registrations: RegistrationStore;
}

/** BullMQ job states shown as `callplane_media_queue_jobs{state}`. */
const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/** The event log scan walks Redis' keys: at most once per this many ms, whatever the scrape rate. */
const EVENT_STATS_MAX_AGE_MS = 15_000;

export async function redisRoundTrip(redis: Redis): Promise<number> {
  const t = performance.now();
  await redis.ping();
  return (performance.now() - t) / 1000;
}

export async function databaseRoundTrip(db: Db): Promise<number> {
  const t = performance.now();
  await sql`select 1`.execute(db);
  return (performance.now() - t) / 1000;
}

/**
 * Registers the checks of what every process depends on (Redis, the
 * database) and the metrics sampled from shared state at scrape time.
 */
export function installPlatformProbes(metrics: Metrics, health: HealthService, src: ProbeSources): void {
  health.register('redis', async () => {
    await src.redis.ping();
  });
  health.register('database', async () => {
    await sql`select 1`.execute(src.db);
  });

  const { store, events, media, telephony } = metrics;
  metrics.addProbe('redis', async () => store.redisRoundTrip.set(await redisRoundTrip(src.redis)), [
    store.redisRoundTrip,
  ]);
  metrics.addProbe('database', async () => store.databaseRoundTrip.set(await databaseRoundTrip(src.db)), [
    store.databaseRoundTrip,
  ]);
  metrics.addProbe('event_waiters', () => events.waiters.set(src.eventSystem.waiter.waiting), [
    events.waiters,
  ]);

  let eventStatsAt = -Infinity;
  metrics.addProbe(
    'event_log',
    async () => {
      if (performance.now() - eventStatsAt < EVENT_STATS_MAX_AGE_MS) return;
      const stats = await src.eventSystem.log.stats();
      eventStatsAt = performance.now();
      events.streams.set(stats.streams);
      events.depth.set(stats.events);
    },
    [events.streams, events.depth],
  );

  metrics.addProbe(
    'media_queue',
    async () => {
      const counts = await src.media.bull().getJobCounts(...JOB_STATES);
      for (const state of JOB_STATES) media.jobs.set({ state }, counts[state] ?? 0);
    },
    [media.jobs],
  );

  metrics.addProbe(
    'sip_registrations',
    async () => telephony.registrations.set(await src.registrations.count()),
    [telephony.registrations],
  );
}
