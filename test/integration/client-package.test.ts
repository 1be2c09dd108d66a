/**
 * `callplane/client` as a consumer gets it: built by `npm run build:client`
 * (what `npm pack` runs first) and imported by the package name from plain
 * Node, no TypeScript loader, against an API listening on a real port.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

let h: Harness;
let baseUrl: string;
let user: TestUser;

beforeAll(async () => {
  h = await createHarness();
  baseUrl = await h.app.listen({ host: '127.0.0.1', port: 0 });
  user = await h.user();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('callplane/client package entry', () => {
  it('builds, and plain Node imports it by name and logs in', { timeout: 120_000 }, async () => {
    await run('npm', ['run', '--silent', 'build:client'], { cwd: ROOT });
    const script = `
      import { createCallplaneClient, ok } from 'callplane/client';
      const cp = createCallplaneClient({ baseUrl: process.env.BASE_URL });
      await cp.login(process.env.CP_USER, process.env.CP_PASSWORD);
      const { user } = await ok(cp.api.GET('/api/user'));
      process.stdout.write(JSON.stringify({ username: user.username }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, BASE_URL: baseUrl, CP_USER: user.username, CP_PASSWORD: user.password },
    });
    expect(JSON.parse(stdout)).toEqual({ username: user.username });
  });
});
