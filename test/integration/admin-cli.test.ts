/**
 * The operator's view of a running `callplane start`: the admin commands
 * (through the engine's admin socket) list users, numbers and a softphone's
 * registration made with sipp, and METRICS_PORT serves /metrics, /health
 * and /ready on a listener of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken } from '../../src/lib/ids.js';
import { Scrape } from '../helpers/prometheus.js';
import { runSipp, SIPP_AVAILABLE } from '../helpers/sipp.js';
import { freePort } from '../helpers/telephony.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/callplane.js');
const USE_POSTGRES = process.env['TEST_DATABASE'] === 'postgres';
const PG_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let env: NodeJS.ProcessEnv;
let engine: ChildProcess | undefined;
let output = '';
let api = '';
let ops = '';
let sipPort = 0;
let dropDatabase: () => Promise<void> = async () => undefined;

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env,
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

async function admin(...args: string[]): Promise<Record<string, any>> {
  const res = await cli(['admin', ...args]);
  expect(res.stderr, `admin ${args.join(' ')}`).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as Record<string, any>;
}

async function call(method: string, url: string, sid?: string, body?: unknown): Promise<Record<string, any>> {
  const res = await fetch(api + url, {
    method,
    headers: sid ? { authorization: `Bearer ${sid}` } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as Record<string, any>;
}

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-admin-'));
  sipPort = await freePort();
  const rtp = 19400 + (process.pid % 4) * 50; // below the ephemeral range (helpers/telephony.ts)
  env = { ...process.env };
  delete env['DATABASE_URL'];
  Object.assign(env, {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    SIP_HOST: '127.0.0.1',
    SIP_PORT: String(sipPort),
    RTP_PORTS: `${rtp}-${rtp + 49}`,
    SIP_DOMAIN: 'sip.callplane.test',
    REDIS_PREFIX: `cpt:${randomToken(8)}:`,
    LOG_LEVEL: 'warn',
  });
  if (USE_POSTGRES) {
    const name = `cp_admin_${randomToken(10).toLowerCase()}`;
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
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  engine = child;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "listening" line within 150 s:\n${output}`)),
      150_000,
    );
    const onData = (c: Buffer): void => {
      output += c.toString();
      const m = /listening on (http:\/\/\S+) .*metrics on (http:\/\/\S+)/.exec(output);
      // The telephony process (apart from the API's) says when its SIP is up.
      if (m?.[1] && m[2] && /callplane: telephony /.test(output)) {
        clearTimeout(timer);
        api = m[1];
        ops = m[2];
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`callplane start exited with ${code}:\n${output}`)));
  });
  // Cleaned up when the test ends, whatever happens in between.
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
}, 180_000);

afterAll(async () => {
  if (engine && engine.exitCode === null) {
    const e = engine;
    await new Promise((resolve) => {
      e.once('exit', resolve);
      e.kill('SIGTERM');
    });
  }
  await dropDatabase();
});

describe.skipIf(!SIPP_AVAILABLE)('callplane admin against a running engine', () => {
  it(
    'lists users, numbers and a live sipp registration; METRICS_PORT serves the operator endpoints',
    { timeout: 180_000 },
    async () => {
      const { uuid } = await admin('user', 'create', '--username', 'opsuser', '--password', 'secret12345');
      await admin('numbers', 'add', '30', '+4930555000111', '+4930555000112');
      await admin('user', 'set-area', 'opsuser', '30');

      const users = await admin('user', 'list');
      expect(users).toEqual({
        users: [expect.objectContaining({ uuid, username: 'opsuser', area_code: '30', partner: null })],
      });
      const numbers = await admin('numbers', 'list', '--state', 'free');
      expect(numbers.numbers.map((n: { number: string }) => n.number)).toEqual([
        '+4930555000111',
        '+4930555000112',
      ]);

      // A softphone (sipp) registers one of the user's SIP accounts.
      const { sid } = await call('GET', '/api/session');
      expect(
        (await call('POST', '/api/session', sid, { username: 'opsuser', password: 'secret12345' })).status,
      ).toBe('ok');
      const acc = await call('POST', '/api/sip', sid, { password: 'sEcReT53a' });
      expect(acc.status).toBe('ok');
      const registeredFrom = Math.floor(Date.now() / 1000);
      const reg = await runSipp({
        scenario: 'register.xml',
        remote: `127.0.0.1:${sipPort}`,
        localPort: 0,
        auth: { username: acc.user as string, password: 'sEcReT53a' },
        vars: { user: acc.user as string, domain: acc.domain as string, expires: '120' },
        timeoutSeconds: 15,
      });
      expect(reg.successful, reg.errors).toBe(1);
      const registeredBy = Math.ceil(Date.now() / 1000);

      const regs = await admin('registrations', '--user', 'opsuser');
      expect(regs.registrations).toEqual([
        expect.objectContaining({
          account: acc.user,
          domain: 'sip.callplane.test',
          user: uuid,
          source: expect.stringMatching(/^127\.0\.0\.1:[0-9]+$/),
          transport: 'udp',
        }),
      ]);
      // Expires: 120 from when the REGISTER was answered.
      expect(regs.registrations[0].expire).toBeGreaterThanOrEqual(registeredFrom + 120);
      expect(regs.registrations[0].expire).toBeLessThanOrEqual(registeredBy + 120);
      expect((await admin('registrations')).registrations).toHaveLength(1);

      // The operator listener: /metrics counts the registration, /ready the worker of `start`.
      const metrics = await fetch(`${ops}/metrics`);
      expect(metrics.status).toBe(200);
      expect(new Scrape(await metrics.text()).value('callplane_sip_registrations')).toBe(1);
      const ready = await fetch(`${ops}/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: Record<string, unknown> }).checks).toHaveProperty('worker');
      expect((await fetch(`${api}/metrics`)).status).toBe(404);
      expect((await fetch(`${api}/health`)).status).toBe(200);
    },
  );

  it('answers a bad option of a list command with exit code 1', { timeout: 60_000 }, async () => {
    const res = await cli(['admin', 'numbers', 'list', '--state', 'lost']);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr)).toMatchObject({ status: 'wrong-syntax' });
    // No live call: the list is empty, and a hang-up names no call.
    expect(await admin('calls')).toEqual({ calls: [] });
    const gone = await cli(['admin', 'calls', 'hangup', '00000000-0000-1000-8000-000000000000']);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stderr)).toMatchObject({ status: 'wrong-call' });
  });
});
