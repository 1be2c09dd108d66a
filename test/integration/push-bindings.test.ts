/**
 * Push contacts on the real Redis (store/redis/push-bindings.ts): kept per
 * account and token, refreshed by each REGISTER, forgotten on unregister,
 * dropped when the push service declares the token dead (unless registered
 * again since), and every node hears of a push REGISTER.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { PushBindings } from '../../src/store/redis/push-bindings.js';
import { deleteKeys } from '../helpers/redis-keys.js';
import { eventually } from '../helpers/telephony.js';

let redis: Redis;
const prefix = `cpt:${randomToken(8)}:`;
let nodeA: PushBindings;
let nodeB: PushBindings;
const apns = (prid: string) => ({ provider: 'apns' as const, prid, param: 'ABCD123456.com.example.voip' });

beforeAll(async () => {
  redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  nodeA = new PushBindings(redis, prefix, 60_000);
  nodeB = new PushBindings(redis, prefix, 60_000);
});
afterAll(async () => {
  await nodeA?.close();
  await nodeB?.close();
  await deleteKeys(redis, prefix);
  redis?.disconnect();
});

describe('push contacts kept for wake-up', () => {
  it('keeps one record per token, the newest contact, with the key living keepMs', async () => {
    await nodeA.remember('alice', 'sip:alice@10.0.0.1;pn-prid=aa', apns('aa'));
    await nodeA.remember('alice', 'sip:alice@10.0.0.2;pn-prid=aa', apns('aa'));
    await nodeA.remember('alice', 'sip:alice@10.0.0.3;pn-prid=bb', apns('bb'));
    const devices = await nodeB.devices('alice');
    expect(devices.map((d) => [d.prid, d.contact]).sort()).toEqual([
      ['aa', 'sip:alice@10.0.0.2;pn-prid=aa'],
      ['bb', 'sip:alice@10.0.0.3;pn-prid=bb'],
    ]);
    const ttl = await redis.pttl(`${prefix}reg:pn:alice`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await nodeA.forget('alice', apns('bb'));
    expect((await nodeB.devices('alice')).map((d) => d.prid)).toEqual(['aa']);
  });

  it('drops a dead token only when it was not registered again since', async () => {
    await nodeA.remember('bob', 'sip:bob@h;pn-prid=cc', apns('cc'));
    const [seen] = await nodeA.devices('bob');
    await new Promise((r) => setTimeout(r, 5));
    await nodeA.remember('bob', 'sip:bob@h2;pn-prid=cc', apns('cc'));
    await nodeA.drop('bob', seen!);
    expect(await nodeA.devices('bob')).toHaveLength(1);
    const [fresh] = await nodeA.devices('bob');
    await nodeA.drop('bob', fresh!);
    expect(await nodeA.devices('bob')).toHaveLength(0);
  });

  it("tells every node's listeners of an account's push REGISTER, until they stop listening", async () => {
    let heard = 0;
    let other = 0;
    const off = await nodeB.onRegistered('carol', () => heard++);
    const offOther = await nodeB.onRegistered('dave', () => other++);
    await nodeA.remember('carol', 'sip:carol@h;pn-prid=dd', apns('dd'));
    await eventually(async () => (heard === 1 ? true : undefined), 'heard on B');
    off();
    await nodeA.remember('carol', 'sip:carol@h;pn-prid=dd', apns('dd'));
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toBe(1);
    expect(other).toBe(0);
    offOther();
  });
});
