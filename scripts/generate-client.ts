/**
 * Writes src/client/openapi.ts from the OpenAPI description the API serves
 * (`npm run client:generate`; Redis must answer on REDIS_URL). Run it after
 * a route or a schema changed: test/api/client.test.ts fails until then.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/api/app.js';
import { loadConfig } from '../src/config/index.js';
import { randomToken } from '../src/lib/ids.js';
import { connectRedis } from '../src/lib/redis.js';
import { createServices } from '../src/services/index.js';
import { openDatabase } from '../src/store/db.js';
import { CLIENT_TYPES_DIR, renderClientTypes } from './client-types.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callplane-client-'));
const config = loadConfig({
  DATA_DIR: dataDir,
  REDIS_URL: process.env['REDIS_URL'],
  REDIS_PREFIX: `cpgen:${randomToken(8)}:`,
});
const redis = await connectRedis(config.redisUrl);
const database = await openDatabase({ pgliteDir: 'memory://' });
const services = createServices({ config, db: database.db, redis });
const app = await buildApp(services);
try {
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  const files = await renderClientTypes(res.json());
  const root = path.resolve(import.meta.dirname, '..');
  // Parts of areas gone go too.
  fs.rmSync(path.join(root, CLIENT_TYPES_DIR), { recursive: true, force: true });
  fs.mkdirSync(path.join(root, CLIENT_TYPES_DIR), { recursive: true });
  for (const [file, text] of files) fs.writeFileSync(path.join(root, file), text);
  process.stdout.write(`wrote ${files.size} files of client types under src/client/\n`);
} finally {
  await app.close();
  await services.close();
  redis.disconnect();
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
