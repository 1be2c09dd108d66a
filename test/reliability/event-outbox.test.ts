/**
 * Issue 14: no committed change without its event. Events of database
 * changes are written in the change's transaction (events/outbox.ts) and a
 * relay publishes what was left, once, in order: after a failing Redis
 * (both databases), and after a process killed between commit and publish
 * (PostgreSQL: two processes cannot share PGlite).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config/index.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { createServices } from '../../src/services/index.js';
import { openDatabase } from '../../src/store/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { deleteKeys } from '../helpers/redis-keys.js';
import { PG_ADMIN_URL, postgresAnswers } from '../helpers/postgres.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

const objectEvents = async (sid: string) =>
  (await h.services.eventLog.read(sid, 0)).filter((e) => e.event.startsWith('object_'));

describe('event outbox', () => {
  it('publishes the event of a commit whose publication failed, once, with the same payload', async () => {
    const u = await h.user();
    const publisher = h.services.eventSystem.publisher;
    const original = publisher.publish.bind(publisher);
    await h.services.outbox.stop();
    try {
      const normal = await h.services.objects.create({ type: 'recording', owner: u.uuid, description: 'a' });
      publisher.publish = async () => {
        throw new Error('Redis is gone');
      };
      const lost = await h.services.objects.create({ type: 'recording', owner: u.uuid, description: 'b' });
      await h.services.objects.modify(lost, { description: 'c' }, { actor: u.uuid });
      publisher.publish = original;
      // Committed (the request succeeded), but no event yet.
      expect((await objectEvents(u.sid)).map((e) => e['object'])).toEqual([normal.uuid]);
      expect(await h.services.outbox.relay()).toBe(2);
      const events = await objectEvents(u.sid);
      expect(events.map((e) => [e.event, e['object'], e['description']])).toEqual([
        ['object_new', normal.uuid, 'a'],
        ['object_new', lost.uuid, 'b'],
        ['object_modify', lost.uuid, 'c'],
      ]);
      const strip = ({ id: _i, time: _t, object: _o, description: _d, ...rest }: Record<string, unknown>) =>
        rest;
      expect(strip(events[1]!)).toEqual(strip(events[0]!));
      // Nothing left, nothing twice.
      expect(await h.services.outbox.relay()).toBe(0);
      expect(await objectEvents(u.sid)).toHaveLength(3);
      const left = await h.services.db.selectFrom('event_outbox').select('id').execute();
      expect(left).toEqual([]);
    } finally {
      publisher.publish = original;
      h.services.outbox.start();
    }
  });

  it('publishes a token at most once, however many relays race', async () => {
    const u = await h.user();
    await Promise.all(
      Array.from({ length: 5 }, () =>
        h.services.events.publish({ users: [u.uuid] }, 'object_new', { object: 'x' }, { once: 'race-1' }),
      ),
    );
    expect((await objectEvents(u.sid)).map((e) => e['object'])).toEqual(['x']);
  });
});

const CHILD = path.join(import.meta.dirname, 'outbox-crash-child.ts');
const havePostgres = await postgresAnswers();

describe.skipIf(!havePostgres)('a process killed between commit and publish', () => {
  it('loses no event: the restarted process relays all four', async () => {
    const dbName = `cp_test_${randomToken(10).toLowerCase()}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-outbox-'));
    const env = {
      DATA_DIR: dataDir,
      REDIS_PREFIX: `cpt:${randomToken(8)}:`,
      REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      DATABASE_URL: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`),
    };
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const config = loadConfig(env);
    const redis = await connectRedis(config.redisUrl);
    let opened = await openDatabase({ databaseUrl: env.DATABASE_URL });
    let services = createServices({ config, db: opened.db, redis });
    try {
      const username = `kill${randomToken(4)}`;
      const user = await services.users.create({
        username,
        password: 'secret12345',
        email: null,
        partnerId: null,
      });
      const app = await buildApp(services);
      const sid = (await app.inject({ method: 'GET', url: '/api/session' })).json().sid as string;
      const login = await app.inject({
        method: 'POST',
        url: '/api/session',
        headers: { authorization: `Bearer ${sid}` },
        payload: { username, password: 'secret12345' },
      });
      expect(login.json().status).toBe('ok');
      await app.close();
      // This process runs no relay while the child lives: the restart must do it.
      await services.close();
      await opened.close();

      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        env: { ...process.env, ...env, USER_ID: user.uuid, OBJECTS: '4' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const committed = await new Promise<string[]>((resolve, reject) => {
        const seen: string[] = [];
        let buf = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (d: string) => {
          buf += d;
          for (const m of buf.matchAll(/^committed (\S+)$/gm)) if (!seen.includes(m[1]!)) seen.push(m[1]!);
          if (seen.length === 4) resolve(seen);
        });
        child.once('exit', (code) => reject(new Error(`child exited (${code}) before four commits`)));
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      // Committed rows, no events.
      opened = await openDatabase({ databaseUrl: env.DATABASE_URL });
      const rows = await opened.db
        .selectFrom('objects')
        .select('uuid')
        .where('uuid', 'in', committed)
        .execute();
      expect(rows).toHaveLength(4);
      expect(await redis.exists(`${env.REDIS_PREFIX}ev:log:${sid}`)).toBe(0);

      // The restarted process relays them at start.
      services = createServices({ config, db: opened.db, redis });
      await expect
        .poll(async () => (await services.eventLog.read(sid, 0)).map((e) => e['object']), { timeout: 10_000 })
        .toEqual(expect.arrayContaining(committed));
      const events = await services.eventLog.read(sid, 0);
      expect(events.filter((e) => e.event === 'object_new')).toHaveLength(4);
    } finally {
      await services.close().catch(() => undefined);
      await opened.close().catch(() => undefined);
      await deleteKeys(redis, env.REDIS_PREFIX);
      redis.disconnect();
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
