/**
 * The closable Redis client of the blocking connections (src/lib/closable-redis.ts)
 * against a real redis-server of the test's own that stops: closed while it
 * waits to reconnect, it ends, where a plain ioredis client never does.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClosableRedis, closableDuplicate, workerConnection } from '../../src/lib/closable-redis.js';
import { OwnRedis } from '../helpers/redis-server.js';

let server: OwnRedis;
let url: string;

beforeAll(async () => {
  server = await OwnRedis.start();
  url = server.url;
});

afterAll(async () => {
  await server.stop();
});

/** Resolves once the client waits to reconnect (Redis is down). */
async function untilReconnecting(client: Redis): Promise<void> {
  while (client.status !== 'reconnecting') await sleep(20);
}

/** Whether 'end' comes within the time given. */
async function endsWithin(client: Redis, ms: number): Promise<boolean> {
  const ended = once(client, 'end').then(() => true);
  return Promise.race([ended, sleep(ms).then(() => false)]);
}

describe('a closable connection closed while Redis is down', () => {
  it('ends and fails the command it held, where a plain ioredis client stays silent', async () => {
    const plain = new Redis(url, { maxRetriesPerRequest: null });
    plain.on('error', () => undefined);
    const worker = workerConnection(url);
    const dup = worker.duplicate({ connectionName: 'blocking' });
    const fromPlain = closableDuplicate(plain);
    fromPlain.on('error', () => undefined);
    dup.on('error', () => undefined);
    await Promise.all([plain.ping(), worker.ping(), dup.ping(), fromPlain.ping()]);
    expect(dup).toBeInstanceOf(ClosableRedis);

    await server.stop();
    await Promise.all([plain, worker, dup, fromPlain].map(untilReconnecting));
    // A blocking pop held for the next connection, as a BullMQ worker's is.
    const outcome = (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => 'answered',
        (err: Error) => err.message,
      );
    const held = outcome(dup.bzpopmin('queue', 5));
    const popped = outcome(fromPlain.blpop('list', 5));

    // The upstream behaviour this works around (redis/ioredis#2169): no 'end', ever.
    const plainEnds = endsWithin(plain, 500);
    plain.disconnect();
    expect(await plainEnds).toBe(false);

    const workerEnds = endsWithin(worker, 500);
    const dupEnds = endsWithin(dup, 500);
    const fromPlainEnds = endsWithin(fromPlain, 500);
    worker.disconnect();
    dup.disconnect();
    fromPlain.disconnect();
    expect(await workerEnds).toBe(true);
    expect(await dupEnds).toBe(true);
    expect(await fromPlainEnds).toBe(true);
    expect(await held).toBe('Connection is closed.');
    expect(await popped).toBe('Connection is closed.');
    expect(dup.status).toBe('end');

    await server.start();
  });

  it('reconnects on its own once Redis is back, and closes as usual', async () => {
    const client = workerConnection(url);
    await client.set('k', 'v');
    await server.stop();
    await untilReconnecting(client);
    await server.start();
    // The command waits through the reconnect (no per-command retry limit).
    expect(await client.get('k')).toBeNull();
    const ends = endsWithin(client, 1000);
    client.disconnect();
    expect(await ends).toBe(true);
  });
});
