/**
 * The media queue in /metrics: a real announcement upload waits in the
 * queue (depth by state), then a worker converts it with ffmpeg (job
 * duration by kind and outcome).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { EventReader, postRaw, waitIdle } from '../helpers/audio-api.js';
import { tempDir, tone } from '../helpers/audio-fixtures.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { Scrape } from '../helpers/prometheus.js';

let h: Harness;
let worker: RunningMediaWorker | undefined;
const dir = tempDir('media-metrics');

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await worker?.close();
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const scrape = async (): Promise<Scrape> =>
  new Scrape((await h.app.inject({ method: 'GET', url: '/metrics' })).body);

describe('media queue metrics', () => {
  it('shows a waiting job, then its conversion time once a worker ran it', async () => {
    const u = await h.user();
    const { uuid } = await h.call('POST', '/api/announcement', { sid: u.sid, body: { description: 'hi' } });
    const wav = fs.readFileSync(tone(path.join(dir, 'in.wav'), { rate: 16000, channels: 1, seconds: 0.5 }));
    expect((await postRaw(h, `/api/announcement/${uuid}/greeting.wav`, wav, u.sid))['status']).toBe('ok');

    const queued = await scrape();
    expect(queued.value('callplane_media_queue_jobs', { state: 'waiting' })).toBe(1);
    expect(queued.count('callplane_media_job_duration_seconds')).toBe(0);

    const reader = new EventReader(h, u.sid);
    worker = startMediaWorker(h.services, { concurrency: 1 });
    await reader.waitFor('announcement_convert', (e) => e['announcement'] === uuid);
    await waitIdle(h);

    const done = await scrape();
    expect(done.value('callplane_media_queue_jobs', { state: 'waiting' })).toBe(0);
    expect(done.value('callplane_media_queue_jobs', { state: 'active' })).toBe(0);
    expect(done.value('callplane_media_queue_jobs', { state: 'completed' })).toBe(1);
    const ok = { kind: 'audio.convert', outcome: 'ok' };
    expect(done.count('callplane_media_job_duration_seconds', ok)).toBe(1);
    expect(done.sum('callplane_media_job_duration_seconds', ok)).toBeGreaterThan(0);
  });
});
