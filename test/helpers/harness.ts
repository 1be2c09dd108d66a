import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { buildApp } from '../../src/api/app.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { createServices, type Services } from '../../src/services/index.js';
import { openDatabase, type OpenedDatabase } from '../../src/store/db.js';
import { deleteKeys } from './redis-keys.js';

/**
 * Real Redis (random key prefix per harness) and a fresh database per harness:
 * in-memory PGlite by default, a throw-away PostgreSQL database when
 * TEST_DATABASE=postgres (the suite runs both ways in CI).
 */
export const TEST_DATABASE = process.env['TEST_DATABASE'] === 'postgres' ? 'postgres' : 'pglite';
const PG_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Harness {
  config: Config;
  services: Services;
  app: FastifyInstance;
  redis: Redis;
  /**
   * Builds a second app on the same Redis and database (another API node, or
   * a restart); `services` replaces the harness's (e.g. with a changed config).
   */
  newApp(services?: Services): Promise<FastifyInstance>;
  /** JSON call; returns the parsed body. */
  call(method: InjectOptions['method'], url: string, opts?: CallOptions): Promise<Record<string, any>>;
  /** Creates a user with system tags, logs in, returns uuid + sid. */
  user(opts?: { username?: string; password?: string; email?: string; partner?: string }): Promise<TestUser>;
  /** Creates a partner and a session authenticated with it. */
  partner(name?: string): Promise<{ name: string; key: string; id: string; sid: string }>;
  /** The process owning the database, when it is not this one ('pglite-bridge'). */
  databasePid?: number;
  close(): Promise<void>;
}

export interface CallOptions {
  sid?: string;
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  app?: FastifyInstance;
}

export interface TestUser {
  uuid: string;
  username: string;
  password: string;
  sid: string;
}

/**
 * The databases a harness can run on: PGlite in this process (the tests'
 * default), PGlite owned by another process and used over the bridge socket
 * (as `callplane start` runs it: the API process owns it, the telephony
 * process uses it; for benches), or a fresh PostgreSQL database.
 */
export type HarnessDatabase = 'pglite' | 'pglite-bridge' | 'postgres';

async function freshDatabase(kind: HarnessDatabase): Promise<{
  opened: OpenedDatabase;
  drop: () => Promise<void>;
  url?: string;
  ownerPid?: number;
}> {
  if (kind === 'pglite') {
    return { opened: await openDatabase({ pgliteDir: 'memory://' }), drop: async () => undefined };
  }
  if (kind === 'pglite-bridge') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-db-'));
    const socket = path.join(dir, 'db.sock');
    const owner = fork(fileURLToPath(new URL('./pglite-owner.ts', import.meta.url)), [socket], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      owner.once('message', () => resolve());
      owner.once('exit', (code) => reject(new Error(`the PGlite owner process exited (${code})`)));
    });
    return {
      opened: await openDatabase({ bridgeSocket: socket }),
      ownerPid: owner.pid,
      drop: async () => {
        const exited = new Promise((r) => owner.once('exit', r));
        if (owner.connected) owner.send('stop');
        await exited;
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `cp_test_${randomToken(10).toLowerCase()}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const opened = await openDatabase({ databaseUrl: url });
  return {
    opened,
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface HarnessOptions {
  /** The database of this harness (default: TEST_DATABASE). */
  database?: HarnessDatabase;
}

export async function createHarness(
  env: Record<string, string> = {},
  opts: HarnessOptions = {},
): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-test-'));
  const prefix = `cpt:${randomToken(8)}:`;
  const { opened, drop, url, ownerPid } = await freshDatabase(opts.database ?? TEST_DATABASE);
  const config = loadConfig({
    DATA_DIR: dataDir,
    REDIS_PREFIX: prefix,
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    ...(url ? { DATABASE_URL: url } : {}),
    ...env,
  });
  const redis = await connectRedis(config.redisUrl);
  const services = createServices({ config, db: opened.db, redis });
  const apps: FastifyInstance[] = [];
  const newApp = async (appServices: Services = services): Promise<FastifyInstance> => {
    const a = await buildApp(appServices);
    apps.push(a);
    return a;
  };
  const app = await newApp();

  const call: Harness['call'] = async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.sid) headers['authorization'] = `Bearer ${opts.sid}`;
    const res = await (opts.app ?? harness.app).inject({
      method,
      url,
      headers,
      ...(opts.query ? { query: opts.query } : {}),
      ...(opts.body !== undefined
        ? { payload: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
        : {}),
    });
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} for ${method} ${url}: ${res.body}`);
    return res.json();
  };

  let counter = 0;
  const user: Harness['user'] = async (opts = {}) => {
    counter += 1;
    const username = opts.username ?? `user${counter}${randomToken(4)}`;
    const password = opts.password ?? 'secret12345';
    let partnerId: string | null = null;
    if (opts.partner) partnerId = (await services.partners.byName(opts.partner))?.id ?? null;
    const row = await services.users.create({ username, password, email: opts.email ?? null, partnerId });
    const res = await call('POST', '/api/session', { body: { username, password } });
    if (res['status'] !== 'ok') throw new Error(`login failed: ${JSON.stringify(res)}`);
    return { uuid: row.uuid, username, password, sid: res['sid'] as string };
  };

  const partner: Harness['partner'] = async (name) => {
    counter += 1;
    const pname = name ?? `partner${counter}${randomToken(4)}`;
    const { key } = await services.partners.create(pname);
    const id = (await services.partners.byName(pname))!.id;
    const s = await call('GET', '/api/session');
    const auth = await call('POST', '/api/session', { sid: s['sid'], body: { partner: pname, key } });
    if (auth['status'] !== 'ok') throw new Error(`partner login failed: ${JSON.stringify(auth)}`);
    return { name: pname, key, id, sid: s['sid'] as string };
  };

  const harness: Harness = {
    config,
    services,
    app,
    redis,
    newApp,
    call,
    user,
    partner,
    ...(ownerPid !== undefined ? { databasePid: ownerPid } : {}),
    close: async () => {
      for (const a of apps) await a.close();
      await services.close();
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await opened.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
