/**
 * Media worker benchmark (issue 4).
 *
 * Fax: pages per second of a PDF through the worker — from the moment the
 * job is enqueued until the worker has finished it (BullMQ pickup, ghostscript,
 * TIFF check, atomic rename, database update, events, cleanup; BullMQ's own
 * add/finish time stamps) — against running the very same ghostscript
 * command (`ghostscriptArgs`) directly on the same PDF. Rounds alternate
 * between the two so machine noise hits both; medians are compared. Aim:
 * worker time within 1.3x of the bare tool. The whole API upload call
 * (pdf-lib check, fsynced upload, status `convert`) plus the job is shown too.
 *
 * Audio: the real-time factor of the announcement upload pipeline and of
 * text to speech (test/bench/audio-rtf.ts, by the audio side).
 *
 *   npm run bench:media
 *   BENCH_FAX_PAGES=50 BENCH_ROUNDS=7 npm run bench:media
 *   BENCH_DATABASE=postgres npm run bench:media   (PostgreSQL instead of PGlite)
 *
 * Figures go into BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { ghostscriptArgs } from '../../src/media/processors/fax-render.js';
import { startMediaWorker } from '../../src/media/worker.js';
import { createServices } from '../../src/services/index.js';
import { openDatabase } from '../../src/store/db.js';
import { textPdf } from '../media/fax-fixtures.js';
import { measureAudioRealtimeFactor, measureTtsRealtimeFactor } from './audio-rtf.js';
import { deleteKeys } from '../helpers/redis-keys.js';

const PAGES = Number(process.env['BENCH_FAX_PAGES'] ?? 20);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const AUDIO_SECONDS = Number(process.env['BENCH_AUDIO_SECONDS'] ?? 60);
const TARGET_RATIO = 1.3;
const USE_POSTGRES = process.env['BENCH_DATABASE'] === 'postgres';
const PG_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

function runGs(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('gs', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`gs exit ${code}: ${err}`))));
  });
}

async function adminQuery(query: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  await c.query(query);
  await c.end();
}

async function benchFax(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-media-bench-'));
  const prefix = `cpb:${randomToken(8)}:`;
  const dbName = `cp_bench_${randomToken(10).toLowerCase()}`;
  if (USE_POSTGRES) await adminQuery(`CREATE DATABASE ${dbName}`);
  const databaseUrl = USE_POSTGRES ? PG_ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`) : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    REDIS_PREFIX: prefix,
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const redis = await connectRedis(config.redisUrl);
  const opened = await openDatabase(databaseUrl ? { databaseUrl } : { pgliteDir: 'memory://' });
  const services = createServices({ config, db: opened.db, redis });
  const worker = startMediaWorker(services, { concurrency: 1 });
  await worker.worker.waitUntilReady();
  // BullMQ stamps a job when it is added and when it is finished: enqueue -> done, in ms.
  const done = new Map<string, (enqueueToDone: number) => void>();
  worker.worker.on('completed', (job) =>
    done.get(job.data.objectId)?.(((job.finishedOn ?? Date.now()) - job.timestamp) / 1000),
  );

  try {
    const pdf = await textPdf(PAGES);
    const input = path.join(dataDir, 'bench.pdf');
    fs.writeFileSync(input, pdf);
    const user = await services.users.create({
      username: `bench${randomToken(6)}`,
      password: 'secret12345',
      email: null,
      partnerId: null,
    });

    const bare = async (round: number): Promise<number> => {
      const t0 = now();
      await runGs(ghostscriptArgs({ input, output: path.join(dataDir, `bare-${round}.tif`) }));
      return now() - t0;
    };
    const throughWorker = async (): Promise<{ upload: number; job: number }> => {
      const fax = await services.faxes.create(user.uuid);
      const finished = new Promise<number>((resolve) => done.set(fax.uuid, resolve));
      const t0 = now();
      await services.faxes.upload(user.uuid, fax.uuid, pdf, {});
      const job = await finished;
      const elapsed = now() - t0;
      const status = (await services.faxes.describe(user.uuid, fax.uuid))['status'];
      if (status !== 'ok') throw new Error(`conversion ended ${String(status)}`);
      return { upload: elapsed, job };
    };

    // One warm-up of each (page cache, ghostscript fonts, BullMQ scripts, sharp).
    await bare(-1);
    await throughWorker();
    const bareTimes: number[] = [];
    const jobTimes: number[] = [];
    const uploadTimes: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bareTimes.push(await bare(r));
      const t = await throughWorker();
      jobTimes.push(t.job);
      uploadTimes.push(t.upload);
    }
    const b = median(bareTimes);
    const w = median(jobTimes);
    const u = median(uploadTimes);
    const ratio = w / b;
    const out = (label: string, s: number): string =>
      `${label}: ${s.toFixed(3)} s for ${PAGES} pages = ${(PAGES / s).toFixed(1)} pages/s`;
    process.stdout.write(
      `fax, ${PAGES}-page A4 text PDF, median of ${ROUNDS} rounds (${USE_POSTGRES ? 'PostgreSQL' : 'PGlite'}):\n` +
        `  ${out('bare ghostscript (tiffg4, 204x196, 1728 px)     ', b)}\n` +
        `  ${out('worker job (enqueue -> done)                   ', w)}\n` +
        `  ${out('API upload call + job (check, fsync -> done)   ', u)}\n` +
        `  worker / bare = ${ratio.toFixed(2)}x (aim <= ${TARGET_RATIO}x) ${ratio <= TARGET_RATIO ? 'OK' : 'OVER'}\n`,
    );
  } finally {
    await worker.close();
    await services.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await opened.close();
    if (USE_POSTGRES) await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchAudio(): Promise<void> {
  const upload = await measureAudioRealtimeFactor(AUDIO_SECONDS, ROUNDS);
  const tts = await measureTtsRealtimeFactor();
  const show = (label: string, r: { audioSeconds: number; medianSeconds: number; realtimeFactor: number }) =>
    `  ${label}: ${r.audioSeconds.toFixed(1)} s of audio in ${r.medianSeconds.toFixed(3)} s = ${r.realtimeFactor.toFixed(0)}x real time\n`;
  process.stdout.write(
    `audio (median of runs):\n` +
      show('upload conversion (44.1 kHz stereo WAV -> 8 kHz WAV + Ogg)', upload) +
      show('text to speech (espeak-ng de -> 8 kHz WAV)', tts),
  );
}

await benchFax();
await benchAudio();
