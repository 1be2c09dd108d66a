import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken } from '../../src/lib/ids.js';
import { freePort } from '../helpers/ports.js';

/**
 * The `callplane` CLI as a newcomer runs it: real processes, a real Redis, the
 * embedded PGlite under a temporary DATA_DIR (or a throw-away PostgreSQL
 * database when TEST_DATABASE=postgres). PGlite admits one process per data
 * directory, so admin commands reach a running engine through its admin socket.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/callplane.js');
const USE_POSTGRES = process.env['TEST_DATABASE'] === 'postgres';
const PG_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let env: NodeJS.ProcessEnv;
let dataDir: string;
let dropDatabase: () => Promise<void> = async () => undefined;
/** Started in beforeAll: it mostly waits for the Redis connect to fail, so it overlaps the rest. */
let missingRedis: Promise<CliResult>;
let missingRedisDir: string;

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs an admin command and parses the one JSON line it prints. */
async function admin(args: string[]): Promise<Record<string, unknown>> {
  const res = await cli(['admin', ...args]);
  expect(res.stderr, `admin ${args.join(' ')}`).toBe('');
  expect(res.code).toBe(0);
  expect(res.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(res.stdout) as Record<string, unknown>;
}

interface Engine {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `callplane start` and resolves once it prints its "listening on URL" line. */
function startEngine(): Promise<Engine> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const output = (): string => out;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "listening" line within 90 s:\n${out}`));
    }, 90_000);
    const onData = (c: Buffer): void => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`callplane start exited with ${code}:\n${out}`));
    });
  });
}

function stopEngine(engine: Engine): Promise<number | null> {
  if (engine.child.exitCode !== null) return Promise.resolve(engine.child.exitCode);
  return new Promise((resolve) => {
    engine.child.once('exit', (code) => resolve(code));
    engine.child.kill('SIGTERM');
  });
}

async function api(
  base: string,
  method: string,
  url: string,
  opts: { sid?: string; body?: unknown } = {},
): Promise<Record<string, any>> {
  const res = await fetch(base + url, {
    method,
    headers: {
      ...(opts.sid ? { authorization: `Bearer ${opts.sid}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-cli-'));
  env = { ...process.env };
  delete env['DATABASE_URL'];
  Object.assign(env, {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    // Not the defaults (5060, 20000-29999), which a SIP server or the media tests beside may hold;
    // the RTP ports just below the ephemeral range, above helpers/ports.ts's.
    SIP_PORT: String(await freePort()),
    RTP_PORTS: '32700-32767',
    REDIS_PREFIX: `cpt:${randomToken(8)}:`,
    LOG_LEVEL: 'warn',
  });
  missingRedisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-cli-'));
  missingRedis = cli(['start'], {
    REDIS_URL: 'redis://127.0.0.1:1',
    PORT: String(await freePort()),
    DATA_DIR: missingRedisDir,
  });
  if (USE_POSTGRES) {
    const name = `cp_cli_${randomToken(10).toLowerCase()}`;
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    env['DATABASE_URL'] = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
    dropDatabase = async () => {
      const d = new pg.Client({ connectionString: PG_ADMIN_URL });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    };
  }
});

afterAll(async () => {
  await missingRedis;
  await dropDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(missingRedisDir, { recursive: true, force: true });
});

describe('callplane CLI', () => {
  let partnerKey = '';

  it('starts the engine; admin commands and logins work while it runs', { timeout: 150_000 }, async () => {
    const engine = await startEngine();
    let exitCode: number | null = null;
    try {
      expect(engine.url).toBe(`http://127.0.0.1:${env['PORT']}`);
      expect(await api(engine.url, 'GET', '/api/language')).toEqual({ status: 'ok', language: ['en', 'de'] });

      const partner = await admin(['partner', 'create', 'acme']);
      expect(partner).toEqual({ partner: 'acme', key: expect.stringMatching(/^\S{16,}$/) });
      partnerKey = partner['key'] as string;

      const user = await admin([
        'user',
        'create',
        '--username',
        'johndoe47',
        '--password',
        'secret12345',
        '--partner',
        'acme',
      ]);
      expect(user).toEqual({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });

      // A failing admin command: exit code 1 and the JSON status on stderr.
      const bad = await cli([
        'admin',
        'user',
        'create',
        '--username',
        'x1',
        '--password',
        'secret',
        '--partner',
        'nope',
      ]);
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.stderr)).toMatchObject({ status: 'wrong-partner' });

      // The spec's example login (spec "Example API usage") against the running engine.
      const { sid } = await api(engine.url, 'GET', '/api/session');
      expect(
        await api(engine.url, 'POST', '/api/session', {
          sid,
          body: { username: 'johndoe47', password: 'secret12345' },
        }),
      ).toEqual({ status: 'ok', partner: 'acme' });
      expect(await api(engine.url, 'GET', '/api/session', { sid })).toMatchObject({
        status: 'ok',
        sid,
        auth: true,
        partner: 'acme',
      });
      expect(
        (
          await api(engine.url, 'POST', '/api/session', {
            body: { username: 'johndoe47', password: 'wrong' },
          })
        )['status'],
      ).toBe('wrong-credentials');

      // The partner key printed once by the CLI authenticates a partner session.
      const p = await api(engine.url, 'GET', '/api/session');
      expect(
        await api(engine.url, 'POST', '/api/session', {
          sid: p['sid'],
          body: { partner: 'acme', key: partnerKey },
        }),
      ).toEqual({ status: 'ok' });
    } finally {
      exitCode = await stopEngine(engine);
    }
    expect(exitCode, engine.output()).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'admin.sock'))).toBe(false);
  });

  it('runs admin commands directly on the data once the engine is stopped', { timeout: 60_000 }, async () => {
    expect(partnerKey).not.toBe('');
    // The partner made through the running engine's socket was stored for good.
    expect(
      await admin([
        'user',
        'create',
        '--username',
        'janedoe',
        '--password',
        'secret12345',
        '--partner',
        'acme',
      ]),
    ).toEqual({ uuid: expect.any(String) });
  });

  it('explains a missing Redis in one line and exits 1', { timeout: 60_000 }, async () => {
    const res = await missingRedis;
    expect(res.code).toBe(1);
    const lines = res.stderr.trimEnd().split('\n');
    expect(lines, res.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/Redis/);
    expect(lines[0]).toContain('redis://127.0.0.1:1');
    expect(lines[0]).toMatch(/redis-server/);
    expect(res.stdout).toBe('');
  });

  it(
    'starts the telephony process again when it is killed (supervised), the API answering throughout',
    { timeout: 120_000 },
    async () => {
      const engine = await startEngine();
      try {
        const children = () =>
          execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(engine.child.pid)], { encoding: 'utf8' })
            .split('\n')
            .filter((l) => l.includes(' serve '));
        // Killed only once it runs: a process killed while starting is a start failure, which
        // the supervisor does not retry.
        await expect
          .poll(() => /callplane: telephony /.test(engine.output()), { timeout: 30_000 })
          .toBe(true);
        // Telephony apart from the API; on PGlite it uses the API process's database through its socket.
        const before = children();
        expect(before.map((l) => l.replace(/^.* serve /, ''))).toEqual(
          USE_POSTGRES ? ['api,worker', 'telephony'] : ['api,worker', 'telephony --db-bridge'],
        );
        const victim = before.at(-1)!;
        process.kill(Number(victim.trim().split(/\s+/)[0]), 'SIGKILL');
        await expect
          .poll(() => /ended \(signal SIGKILL\); restarting in \d+ ms/.test(engine.output()), {
            timeout: 10_000,
          })
          .toBe(true);
        await expect.poll(() => children().length, { timeout: 60_000, interval: 200 }).toBe(before.length);
        // The API answers (it was never down).
        await expect
          .poll(
            () =>
              api(engine.url, 'GET', '/api/language')
                .then((r) => r['status'])
                .catch(() => 'down'),
            {
              timeout: 60_000,
              interval: 500,
            },
          )
          .toBe('ok');
      } finally {
        expect(await stopEngine(engine)).toBe(0);
      }
    },
  );
});
