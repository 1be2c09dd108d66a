/**
 * A media worker process for worker-crash.test.ts: the services on the
 * PostgreSQL database and Redis prefix the test names in the environment,
 * plus startMediaWorker with short lock and stalled-check times so a killed
 * worker's job is taken over within seconds. Prints "ready" and each job
 * progress report on stdout.
 */
import { loadConfig } from '../../src/config/index.js';
import { connectRedis } from '../../src/lib/redis.js';
import { startMediaWorker } from '../../src/media/worker.js';
import { createServices } from '../../src/services/index.js';
import { openDatabase } from '../../src/store/db.js';

const config = loadConfig(process.env);
const redis = await connectRedis(config.redisUrl);
const opened = await openDatabase({ databaseUrl: config.databaseUrl });
const services = createServices({ config, db: opened.db, redis });
const running = startMediaWorker(services, {
  concurrency: 1,
  lockDurationMs: 2000,
  stalledIntervalMs: 1000,
  onError: (err) => process.stderr.write(`worker error: ${err.message}\n`),
});
running.worker.on('progress', (_job, progress) => {
  process.stdout.write(`progress ${JSON.stringify(progress)}\n`);
});
running.worker.on('completed', (job) => {
  process.stdout.write(`completed ${job.id ?? ''}\n`);
});
await running.worker.waitUntilReady();
process.stdout.write('ready\n');

process.once('SIGTERM', () => {
  void running
    .close()
    .then(() => opened.close())
    .then(() => {
      redis.disconnect();
      process.exit(0);
    });
});
