import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { newId } from '../../src/lib/ids.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const KEY = 'queue-admin-key-123';
let h: Harness;
let board: FastifyInstance;

beforeAll(async () => {
  h = await createHarness();
  // Another API node of the same services with ADMIN_KEY set.
  board = await buildApp({ ...h.services, config: { ...h.config, adminKey: KEY } });
});
afterAll(async () => {
  await board?.close();
  await h?.services.media.close();
  await h?.close();
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('bull-board under /admin/queues (issue 4)', () => {
  it('is off with a clear 404 while ADMIN_KEY is unset', async () => {
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      const res = await h.app.inject({ method: 'GET', url, headers: { authorization: basic('admin', KEY) } });
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('set ADMIN_KEY');
    }
  });

  it('asks for the admin key (HTTP basic auth) and refuses a wrong one', async () => {
    for (const headers of [{}, { authorization: basic('admin', 'wrong') }, { 'x-admin-key': 'wrong' }]) {
      const res = await board.inject({ method: 'GET', url: '/admin/queues', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    }
    // A user session is no admin key.
    const { sid } = await h.user();
    const res = await board.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: { cookie: `sid=${sid}` },
    });
    expect(res.statusCode).toBe(401);
  });

  it('shows the dashboard and the media queue with the key (basic auth or X-Admin-Key)', async () => {
    const page = await board.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { authorization: basic('ops', KEY) },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('callplane media');

    await h.services.media.enqueue({
      kind: 'fax.convert',
      objectId: newId(),
      owner: newId(),
      input: '/nowhere/upload-0',
    });
    const api = await board.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: { 'x-admin-key': KEY },
    });
    expect(api.statusCode).toBe(200);
    const body = api.json<{ queues: Array<{ name: string; counts: Record<string, number> }> }>();
    const media = body.queues.find((q) => q.name === 'media');
    expect(media).toBeDefined();
    expect(media!.counts['waiting']).toBe(1);
  });

  it('adds one job per kind, object and input (deterministic job id)', async () => {
    const job = {
      kind: 'fax.convert' as const,
      objectId: newId(),
      owner: newId(),
      input: '/nowhere/upload-1',
    };
    await h.services.media.enqueue(job);
    await h.services.media.enqueue(job);
    await h.services.media.enqueue({ ...job, input: '/nowhere/upload-2' });
    const jobs = await h.services.media.bull().getJobs(['waiting']);
    expect(jobs.filter((j) => j.data.objectId === job.objectId)).toHaveLength(2);
  });
});
