/**
 * /ready as a load balancer sees it when Redis goes away: a real
 * redis-server started by the test on a free port, stopped, started again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { Scrape } from '../helpers/prometheus.js';
import { freePort } from '../helpers/telephony.js';

/** Starts redis-server without persistence; resolves once it accepts connections. */
function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
}

function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

let port: number;
let redis: ChildProcess;
let h: Harness;
let worker: RunningMediaWorker;

beforeAll(async () => {
  port = await freePort();
  redis = await startRedis(port);
  h = await createHarness({ REDIS_URL: `redis://127.0.0.1:${port}` });
  worker = startMediaWorker(h.services, { concurrency: 1, onError: () => undefined });
});

afterAll(async () => {
  await worker?.close();
  await h?.close();
  if (redis) await stopRedis(redis);
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
    await stopRedis(redis);
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
    redis = await startRedis(port);
    await vi.waitFor(async () => expect((await ready()).code).toBe(200), { timeout: 15_000, interval: 200 });
  });
});
