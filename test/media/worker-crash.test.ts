import { spawn, type ChildProcessByStdio } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { createServices, type Services } from '../../src/services/index.js';
import { openDatabase, type OpenedDatabase } from '../../src/store/db.js';
import { greyPatchesPdf, tiffInfo } from './fax-fixtures.js';
import { PG_ADMIN_URL, postgresAnswers } from '../helpers/postgres.js';

/**
 * Issue 4 crash proof: a worker process is killed (SIGKILL, whole process
 * group, as when its container dies) in the middle of a 20-page conversion;
 * a second worker process takes the stalled job over and the fax ends `ok`
 * with all its pages. Two processes cannot share PGlite, so this runs on
 * PostgreSQL (created like test/helpers/harness.ts does).
 */
const CHILD = path.join(import.meta.dirname, 'worker-crash-child.ts');
const PAGES = 20;

const havePostgres = await postgresAnswers();
if (!havePostgres) {
  process.stderr.write(
    `worker-crash.test.ts skipped: no PostgreSQL answers at ${PG_ADMIN_URL} (set TEST_POSTGRES_URL)\n`,
  );
}

type Child = ChildProcessByStdio<null, Readable, Readable>;

describe.skipIf(!havePostgres)('a media worker killed mid-conversion (issue 4)', () => {
  const dbName = `cp_test_${randomToken(10).toLowerCase()}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-crash-'));
  const env = {
    DATA_DIR: dataDir,
    REDIS_PREFIX: `cpt:${randomToken(8)}:`,
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    DATABASE_URL: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`),
  };
  let opened: OpenedDatabase;
  let redis: Redis;
  let services: Services;
  const children: Child[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const config = loadConfig(env);
    opened = await openDatabase({ databaseUrl: env.DATABASE_URL });
    redis = await connectRedis(config.redisUrl);
    services = createServices({ config, db: opened.db, redis });
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) killGroup(c, 'SIGKILL');
    await services?.media.close();
    if (redis) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.REDIS_PREFIX}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    }
    await opened?.close();
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A worker process in its own process group (so ghostscript dies with it). */
  function startChild(): {
    child: Child;
    lines: string[];
    waitLine(re: RegExp, ms: number): Promise<string>;
  } {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.push(child);
    const lines: string[] = [];
    let pending = '';
    const waiters: Array<() => void> = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts);
      for (const w of waiters) w();
    });
    child.stderr.on('data', (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d.toString()}`));
    const waitLine = (re: RegExp, ms: number) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const hit = lines.find((l) => re.test(l));
          if (hit !== undefined) {
            clearTimeout(timer);
            resolve(hit);
          }
        };
        const timer = setTimeout(() => reject(new Error(`no line ${re} from worker within ${ms} ms`)), ms);
        waiters.push(check);
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`worker exited (${code ?? signal}) before ${re}`));
        });
        check();
      });
    return { child, lines, waitLine };
  }

  function killGroup(child: Child, signal: NodeJS.Signals): void {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  }

  it('lets a second worker finish the job: status ok with every page', { timeout: 300_000 }, async () => {
    const user = await services.users.create({
      username: `crash${randomToken(6)}`,
      password: 'secret12345',
      email: null,
      partnerId: null,
    });
    const fax = await services.faxes.create(user.uuid, 'crash test');
    // Photo pages at twice the fax resolution take ghostscript a while each: time to kill it mid-way.
    await services.faxes.upload(user.uuid, fax.uuid, await greyPatchesPdf(PAGES), { mode: 'photo' });

    const first = startChild();
    await first.waitLine(/^ready$/, 60_000);
    const progress = await first.waitLine(/^progress \d+$/, 120_000);
    const percent = Number(progress.split(' ')[1]);
    expect(percent).toBeGreaterThan(0);
    expect(percent).toBeLessThan(100);
    killGroup(first.child, 'SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(first.lines.some((l) => l.startsWith('completed'))).toBe(false);
    const midway = (await services.faxes.describe(user.uuid, fax.uuid))['status'];
    expect(midway).toBe('convert');

    const second = startChild();
    await second.waitLine(/^completed /, 180_000);
    killGroup(second.child, 'SIGTERM');

    const done = await services.faxes.describe(user.uuid, fax.uuid);
    expect(done).toMatchObject({ status: 'ok', page_count: PAGES, x_res: 204, y_res: 196 });
    // Exactly the finished contents remain: no upload, no half-written work folder of the killed worker.
    const folder = services.faxes.folder(fax.uuid);
    const names = fs.readdirSync(folder);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^c-[0-9a-f]+$/);
    const pages = tiffInfo(path.join(folder, names[0]!, 'x.tif'));
    expect(pages).toHaveLength(PAGES);
    expect(pages[PAGES - 1]).toContain('Image Width: 1728');
  });
});
