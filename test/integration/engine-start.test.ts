/**
 * An engine that cannot start leaves nothing open, and a stop closes
 * everything: counted on a redis-server of the test's own (every client
 * on it is the engine's) and on the embedded database's files.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/index.js';
import { bridgeSocketPath, pgliteDir, startEngine } from '../../src/main.js';
import { freePort } from '../helpers/ports.js';
import { OwnRedis } from '../helpers/redis-server.js';

let redis: OwnRedis;
let probe: Redis;
let dataDir: string;

beforeAll(async () => {
  redis = await OwnRedis.start();
  probe = new Redis(redis.url);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-engine-'));
});

afterAll(async () => {
  probe?.disconnect();
  await redis?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Clients of the test's redis-server other than the probe. */
async function engineClients(): Promise<number> {
  const list = (await probe.client('LIST')) as string;
  return list.trim().split('\n').length - 1;
}

/** The engine's clients once they are all gone, or the count still there after a second. */
async function clientsLeft(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const n = await engineClients();
    if (n === 0) return 0;
    await new Promise((r) => setTimeout(r, 20));
  }
  return engineClients();
}

function config(port: number): Config {
  return loadConfig({
    DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'silent',
  });
}

describe('engine start and stop', () => {
  it('stops what it started when a role cannot start (the API port is in use)', async () => {
    const taken = await freePort();
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(taken, '127.0.0.1', r));
    try {
      const cfg = config(taken);
      await expect(startEngine(cfg, ['api', 'worker'])).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(await clientsLeft()).toBe(0);
      // The embedded database was closed (its lock released) and the bridge socket removed.
      expect(fs.existsSync(path.join(pgliteDir(cfg), 'callplane.lock'))).toBe(false);
      expect(fs.existsSync(bridgeSocketPath(cfg))).toBe(false);
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });

  it('starts on a free port, then stops every part once, however often stop is called', async () => {
    const cfg = config(await freePort());
    const engine = await startEngine(cfg, ['api', 'worker']);
    expect((await fetch(`${engine.url}/health`)).status).toBe(200);
    expect(await engineClients()).toBeGreaterThan(0);
    const first = engine.stop();
    expect(engine.stop()).toBe(first);
    await first;
    expect(await clientsLeft()).toBe(0);
    expect(fs.existsSync(path.join(pgliteDir(cfg), 'callplane.lock'))).toBe(false);
    expect(fs.existsSync(bridgeSocketPath(cfg))).toBe(false);
  });
});
