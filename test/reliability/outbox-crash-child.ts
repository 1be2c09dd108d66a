/**
 * A process for event-outbox.test.ts that dies between commit and publish:
 * on the PostgreSQL database and Redis prefix the test names, it creates
 * OBJECTS objects of USER_ID whose publication never completes (the session
 * publisher hangs), printing "committed <uuid>" each time an event is about
 * to be published, i.e. after its transaction committed. The test kills it
 * with SIGKILL then.
 */
import { loadConfig } from '../../src/config/index.js';
import { connectRedis } from '../../src/lib/redis.js';
import { createServices } from '../../src/services/index.js';
import { openDatabase } from '../../src/store/db.js';

const config = loadConfig(process.env);
const redis = await connectRedis(config.redisUrl);
const opened = await openDatabase({ databaseUrl: config.databaseUrl });
const services = createServices({ config, db: opened.db, redis });
await services.outbox.stop();
services.eventSystem.publisher.publish = async (_audience, _event, payload) => {
  const object = payload?.['object'];
  process.stdout.write(`committed ${typeof object === 'string' ? object : ''}\n`);
  await new Promise(() => undefined);
};
const owner = process.env['USER_ID'] ?? '';
const count = Number(process.env['OBJECTS'] ?? '1');
for (let i = 0; i < count; i++) {
  void services.objects.create({ type: 'recording', owner, description: `kill -9 ${i}` });
}
