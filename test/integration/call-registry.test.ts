/**
 * The call registry across nodes (real Redis, one prefix per test file):
 * a call's summary is readable from every node while it lives and gone
 * once it ends; a hang-up asked on another node reaches the node that holds
 * the call; the summaries of a user and of a node are listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { RedisLiveCalls } from '../../src/store/redis/live-calls.js';
import { Call } from '../../src/telephony/call/call.js';
import { CallRegistry } from '../../src/telephony/call/registry.js';
import { silentLogger } from '../../src/telephony/engine/logger.js';
import { FakeAdapter } from '../fakes/fake-adapter.js';
import { deleteKeys } from '../helpers/redis-keys.js';

let redis: Redis;
const prefix = `cpt:${randomToken(8)}:`;
beforeAll(async () => {
  redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

async function eventually<T>(check: () => Promise<T | null | false>, what: string): Promise<T> {
  const until = Date.now() + 3000;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function node(name: string) {
  const adapter = new FakeAdapter();
  const registry = new CallRegistry(name, new RedisLiveCalls(redis, prefix), silentLogger);
  const newCall = (uuid: string) => {
    const call = new Call({
      uuid,
      node: name,
      parties: { incoming: false, from: '+4930111', to: '+4930222', clip: null, clir: false },
      signaling: adapter.signaling,
      whenIdle: 'wait',
    });
    registry.add(call);
    return call;
  };
  return { adapter, registry, newCall };
}

describe('call registry (Redis)', () => {
  it('shows a call to every node while it lives, with its owner and state, and forgets it when it ends', async () => {
    const a = node('node-a');
    const b = node('node-b');
    await a.registry.start();
    await b.registry.start();
    const call = a.newCall('11111111-1111-1111-1111-111111111111');
    call.assign('user-1', '+4930111');
    call.originate({
      target: { kind: 'trunk', number: '+4930222' },
      from: { number: '+4930111', display: null, clir: false },
    });
    const leg = await a.adapter.nextOutbound();
    leg.answer();
    const seen = await eventually(async () => {
      const s = await b.registry.find(call.uuid);
      return s?.state === 'answered' ? s : null;
    }, 'answered summary on node b');
    expect(seen).toMatchObject({
      node: 'node-a',
      owner: 'user-1',
      number: '+4930111',
      incoming: false,
      to: '+4930222',
    });
    const store = new RedisLiveCalls(redis, prefix);
    expect((await store.ofOwner('user-1')).map((s) => s.uuid)).toEqual([call.uuid]);
    expect((await store.ofNode('node-a')).map((s) => s.uuid)).toEqual([call.uuid]);
    leg.remoteHangup();
    await eventually(async () => (await b.registry.find(call.uuid)) === null, 'gone');
    expect(await store.ofOwner('user-1')).toEqual([]);
    await a.registry.stop();
    await b.registry.stop();
  });

  it('a hang-up asked on another node ends the call where it lives, with the cause given', async () => {
    const a = node('node-c');
    const b = node('node-d');
    await a.registry.start();
    await b.registry.start();
    const call = a.newCall('22222222-2222-2222-2222-222222222222');
    call.originate({
      target: { kind: 'trunk', number: '+4930222' },
      from: { number: null, display: null, clir: false },
    });
    (await a.adapter.nextOutbound()).answer();
    await eventually(async () => (await b.registry.find(call.uuid))?.state === 'answered', 'summary');
    expect(await b.registry.hangup(call.uuid, { q850: 21 })).toBe(true);
    await eventually(async () => call.state === 'hangup', 'ended on node c');
    expect(call.cause?.q850).toBe(21);
    expect(await b.registry.hangup(call.uuid)).toBe(false);
    await a.registry.stop();
    await b.registry.stop();
  });

  it('coalesces summary writes: the latest of a window is written once, a call gone within it never, flush() sends at once', async () => {
    const store = new RedisLiveCalls(redis, prefix, 60_000);
    const base = {
      node: 'node-e',
      owner: 'user-e',
      number: '+4930111',
      incoming: true,
      from: '+4930999',
      to: '+4930111',
      clip: null,
      clir: false,
      createdAt: 1,
      answeredAt: null,
      endedAt: null,
      hangupCause: null,
    } as const;
    const a = { ...base, uuid: '33333333-3333-3333-3333-333333333333', state: 'calling' as const };
    const writes: Array<Promise<void>> = [
      store.put(a),
      store.put({ ...a, state: 'answered', answeredAt: 2 }),
    ];
    // Within the window nothing has been sent.
    expect(await redis.get(`${prefix}call:${a.uuid}`)).toBeNull();
    const short = { ...base, uuid: '44444444-4444-4444-4444-444444444444', state: 'calling' as const };
    writes.push(store.put(short), store.remove(short));
    await store.flush();
    await Promise.all(writes);
    expect((await store.get(a.uuid))?.state).toBe('answered');
    expect((await store.ofOwner('user-e')).map((s) => s.uuid)).toEqual([a.uuid]);
    expect(await redis.sismember(`${prefix}calls:node:node-e`, short.uuid)).toBe(0);
    // The end of a written call goes out without waiting for the window.
    await store.remove(a);
    expect(await store.get(a.uuid)).toBeNull();
    expect(await store.ofNode('node-e')).toEqual([]);
  });
});
