/**
 * /ready as a load balancer sees it when Redis goes away: a real
 * redis-server started by the test on a free port, stopped, started again;
 * then a shutdown of every role while Redis is down.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { Scrape } from '../helpers/prometheus.js';
import { OwnRedis } from '../helpers/redis-server.js';
import { createTelephonyHarness, type TelephonyHarness } from '../helpers/telephony.js';

let redis: OwnRedis;
let h: TelephonyHarness;
let worker: RunningMediaWorker;

beforeAll(async () => {
  redis = await OwnRedis.start();
  h = await createTelephonyHarness({ REDIS_URL: redis.url });
  worker = startMediaWorker(h.services, { concurrency: 1, onError: () => undefined });
});

afterAll(async () => {
  await worker?.close();
  await h?.close();
  await redis?.stop();
});

const ready = async (): Promise<{ code: number; body: Record<string, any> }> => {
  const res = await h.app.inject({ method: 'GET', url: '/ready' });
  return { code: res.statusCode, body: res.json() };
};

describe('/ready and a Redis that stops', () => {
  it('is 200 with Redis, the database and the media worker of this process', async () => {
    const r = await ready();
    expect(r.code).toBe(200);
    expect(r.body.checks).toMatchObject({
      redis: { ok: true },
      database: { ok: true },
      worker: { ok: true },
    });
  });

  it('turns 503 naming Redis when it stops; /health and /metrics still answer', async () => {
    await redis.stop();
    const r = await ready();
    expect(r.code).toBe(503);
    expect(r.body).toMatchObject({
      status: 'fail',
      checks: { redis: { ok: false }, database: { ok: true } },
    });
    expect((await h.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const m = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(m.statusCode).toBe(200);
    const s = new Scrape(m.body);
    expect(s.value('callplane_probe_failures_total', { probe: 'redis' })).toBe(1);
    expect(s.value('callplane_redis_round_trip_seconds')).toBeNaN();
  });

  it('is 200 again once Redis is back', async () => {
    await redis.start();
    await vi.waitFor(async () => expect((await ready()).code).toBe(200), { timeout: 15_000, interval: 200 });
  });

  // A shutdown must not wait for Redis. A blocking connection closed while it waits to reconnect
  // never ends on its own (src/lib/closable-redis.ts): the BullMQ workers and the telephony
  // node's queue loops waited for theirs forever.
  it('shuts down while Redis is down: telephony, the media worker, the API and its services', async () => {
    await redis.stop();
    await sleep(300);
    const t0 = performance.now();
    await h.telephony.stop();
    await worker.close();
    await h.app.close();
    await h.services.close();
    expect(performance.now() - t0).toBeLessThan(5_000);
    // Back for the harness's own cleanup (its keys, its database).
    await redis.start();
  }, 20_000);
});
