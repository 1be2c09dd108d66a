import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseZoneFilter, rate, tickPlan } from '../../src/domain/policy/zone-filter.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { CallLimiter } from '../../src/store/redis/call-limit.js';
import { CreditStore } from '../../src/store/redis/credit.js';

/**
 * Credit and call limits against a real Redis with a random key prefix. Four
 * connections stand for four telephony nodes, so debits really interleave in
 * Redis instead of queueing on one socket.
 */
const NODES = 4;
const prefix = `cpt:${randomToken(8)}:`;
let clients: Redis[] = [];
let credits: CreditStore[] = [];
let limiters: CallLimiter[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nodeOf = <T>(list: T[], i: number): T => list[i % list.length]!;

beforeAll(async () => {
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  clients = await Promise.all(Array.from({ length: NODES }, () => connectRedis(url)));
  credits = clients.map((c) => new CreditStore(c, prefix));
  limiters = clients.map((c) => new CallLimiter(c, prefix));
});

afterAll(async () => {
  const c = clients[0];
  if (c) {
    const keys = await c.keys(`${prefix}*`);
    if (keys.length > 0) await c.del(...keys);
  }
  for (const client of clients) client.disconnect();
});

let groupSeq = 0;
const newGroup = () => `group-${++groupSeq}-${randomToken(6)}`;

describe('credit', () => {
  it('add, subtract, get, delete, list', async () => {
    const [store] = credits;
    const g = newGroup();
    const h = newGroup();
    expect(await store!.get(g)).toBeNull();
    expect(await store!.add(g, 100)).toBe(100);
    expect(await store!.subtract(g, 30)).toBe(70);
    expect(await store!.get(g)).toBe(70);
    expect(await store!.subtract(h, 5)).toBe(-5);
    expect(await store!.list([g, h, newGroup()])).toEqual({ [g]: 70, [h]: -5 });
    expect(await store!.list([g, h], { min: 0 })).toEqual({ [g]: 70 });
    expect(await store!.list([g, h], { max: 69 })).toEqual({ [h]: -5 });
    expect(await store!.delete(g)).toBe(true);
    expect(await store!.delete(g)).toBe(false);
    expect(await store!.get(g)).toBeNull();
    expect(await store!.get(h)).toBe(-5);
  });

  it('debits whole ticks and refuses what the balance cannot pay', async () => {
    const [store] = credits;
    const g = newGroup();
    await store!.add(g, 300);
    expect(await store!.debit(g, 139)).toEqual({ ok: true, balance: 161 });
    expect(await store!.debit(g, 139)).toEqual({ ok: true, balance: 22 });
    expect(await store!.debit(g, 139)).toEqual({ ok: false, balance: 22 });
    expect(await store!.debit(g, 0)).toEqual({ ok: true, balance: 22 });
    expect(await store!.debit(g, 22)).toEqual({ ok: true, balance: 0 });
    expect(await store!.get(g)).toBe(0);
  });

  it('a group without credit has no limit', async () => {
    expect(await credits[0]!.debit(newGroup(), 1_000_000)).toEqual({ ok: true, balance: null });
  });

  it('refuses debits on a balance the partner took below zero', async () => {
    const g = newGroup();
    await credits[0]!.subtract(g, 10);
    expect(await credits[0]!.debit(g, 0)).toEqual({ ok: true, balance: -10 });
    expect(await credits[0]!.debit(g, 1)).toEqual({ ok: false, balance: -10 });
  });

  it('rejects amounts outside the exact-integer range', async () => {
    const g = newGroup();
    await credits[0]!.add(g, Number.MAX_SAFE_INTEGER - 1);
    await expect(credits[0]!.add(g, 10)).rejects.toMatchObject({ code: 'wrong-syntax' });
    expect(await credits[0]!.get(g)).toBe(Number.MAX_SAFE_INTEGER - 1);
    await expect(credits[0]!.debit(g, -1)).rejects.toThrow(RangeError);
    await expect(credits[0]!.debit(g, 1.5)).rejects.toThrow(RangeError);
  });

  it('hundreds of parallel debits on one group never spend the same credit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 200, maxLength: 500 }),
        fc.integer({ min: 0, max: 50_000 }),
        async (amounts, initial) => {
          const g = newGroup();
          await credits[0]!.add(g, initial);
          const results = await Promise.all(amounts.map((a, i) => nodeOf(credits, i).debit(g, a)));
          const final = (await credits[0]!.get(g))!;
          let spent = 0;
          results.forEach((r, i) => {
            expect(r.balance).not.toBeNull();
            expect(r.balance!).toBeGreaterThanOrEqual(0);
            if (r.ok) spent += amounts[i]!;
            // Balances only fall, so a refused tick could not be paid at the end either.
            else expect(amounts[i]!).toBeGreaterThan(final);
          });
          expect(final).toBeGreaterThanOrEqual(0);
          expect(spent).toBe(initial - final);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('debits and partner top-ups interleaved conserve the money', async () => {
    const g = newGroup();
    await credits[0]!.add(g, 1000);
    const ops = Array.from({ length: 400 }, (_, i) =>
      i % 10 === 0
        ? nodeOf(credits, i)
            .add(g, 500)
            .then(() => ({ kind: 'add' as const, amount: 500, ok: true }))
        : nodeOf(credits, i)
            .debit(g, 100 + (i % 7))
            .then((r) => ({ kind: 'debit' as const, amount: 100 + (i % 7), ok: r.ok })),
    );
    const done = await Promise.all(ops);
    const added = done.filter((o) => o.kind === 'add').reduce((s, o) => s + o.amount, 0);
    const spent = done.filter((o) => o.kind === 'debit' && o.ok).reduce((s, o) => s + o.amount, 0);
    const final = (await credits[0]!.get(g))!;
    expect(final).toBe(1000 + added - spent);
    expect(final).toBeGreaterThanOrEqual(0);
  });

  it('parallel calls ticking on one group end when the credit cannot pay their next tick', async () => {
    const zf = parseZoneFilter([
      { description: 'national', prefix: ['+49'], cost: 139 },
      { description: 'mobile', prefix: ['+4915', '+4917'], cost: 290, connect_fee: 15, increment: 10 },
    ]);
    const g = newGroup();
    const initial = 120_000;
    await credits[0]!.add(g, initial);
    const destinations = ['+492216698712', '+4915112345678', '+4917012345'];
    const calls = Array.from({ length: 300 }, async (_, i) => {
      const plan = tickPlan(rate(zf, destinations[i % destinations.length]!));
      let charged = 0;
      let lastRefused = 0;
      // Every call keeps ticking until a tick is refused: the engine hangs up then.
      for (let n = 0; ; n++) {
        const amount = plan.amount(n);
        const r = await nodeOf(credits, i + n).debit(g, amount);
        if (!r.ok) {
          lastRefused = amount;
          break;
        }
        charged += amount;
      }
      return { charged, lastRefused };
    });
    const ended = await Promise.all(calls);
    const final = (await credits[0]!.get(g))!;
    expect(final).toBeGreaterThanOrEqual(0);
    expect(ended.reduce((s, c) => s + c.charged, 0)).toBe(initial - final);
    for (const c of ended) expect(c.lastRefused).toBeGreaterThan(final);
  });
});

describe('concurrent call limit', () => {
  it('admits exactly `limit` of many parallel calls across nodes', async () => {
    const g = newGroup();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => nodeOf(limiters, i).acquire(g, `call-${i}`, 50)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(50);
    expect(await limiters[0]!.active(g)).toBe(50);
  });

  it('acquire, refuse at the limit, release frees the slot', async () => {
    const [lim] = limiters;
    const g = newGroup();
    expect(await lim!.acquire(g, 'a', 2)).toEqual({ ok: true, active: 1 });
    expect(await lim!.acquire(g, 'b', 2)).toEqual({ ok: true, active: 2 });
    expect(await lim!.acquire(g, 'c', 2)).toEqual({ ok: false, active: 2 });
    expect(await lim!.acquire(g, 'a', 2)).toEqual({ ok: true, active: 2 });
    expect(await lim!.release(g, 'a')).toBe(true);
    expect(await lim!.release(g, 'a')).toBe(false);
    expect(await lim!.acquire(g, 'c', 2)).toEqual({ ok: true, active: 2 });
  });

  it("admit: the slot and the first tick's credit in one step; short of credit takes no slot", async () => {
    const [lim] = limiters;
    const [credit] = credits;
    const g = newGroup();
    const key = credit!.key(g);
    // No credit configured: no limit on credit.
    expect(await lim!.admit(g, 'a', 2, { key, need: 10 })).toEqual({ ok: true, active: 1 });
    await credit!.add(g, 15);
    expect(await lim!.admit(g, 'b', 2, { key, need: 16 })).toEqual({
      ok: false,
      active: 1,
      refused: 'credit',
    });
    expect(await lim!.active(g)).toBe(1);
    expect(await lim!.admit(g, 'b', 2, { key, need: 15 })).toEqual({ ok: true, active: 2 });
    // The limit is checked first; the credit is only read, never taken.
    expect(await lim!.admit(g, 'c', 2, { key, need: 99 })).toEqual({
      ok: false,
      active: 2,
      refused: 'limit',
    });
    expect(await credit!.get(g)).toBe(15);
    expect(await lim!.admit(g, 'a', 2, { key, need: 1 })).toEqual({ ok: true, active: 2 });
    const many = newGroup();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        nodeOf(limiters, i).admit(many, `call-${i}`, 30, { key: credit!.key(many), need: 0 }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(30);
  });

  it('a limit of 0 refuses every call; no limit still counts calls', async () => {
    const [lim] = limiters;
    const g = newGroup();
    expect((await lim!.acquire(g, 'a', 0)).ok).toBe(false);
    for (let i = 0; i < 5; i++) expect((await lim!.acquire(g, `x${i}`, null)).ok).toBe(true);
    expect(await lim!.active(g)).toBe(5);
    expect((await lim!.acquire(g, 'y', 5)).ok).toBe(false);
  });

  it('leases of a crashed node lapse and free their slots', async () => {
    const g = newGroup();
    const crashed = limiters[1]!;
    const alive = limiters[2]!;
    expect((await crashed.acquire(g, 'c1', 2, 1000)).ok).toBe(true);
    expect((await crashed.acquire(g, 'c2', 2, 1000)).ok).toBe(true);
    expect((await alive.acquire(g, 'a1', 2, 5000)).ok).toBe(false);
    const ttl = await clients[0]!.pttl(crashed.key(g));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
    await sleep(1100);
    expect(await alive.acquire(g, 'a1', 2, 5000)).toEqual({ ok: true, active: 1 });
    expect(await clients[0]!.pttl(crashed.key(g))).toBeGreaterThan(4000);
  });

  it('renewing keeps a slot past its first lease; a lapsed lease cannot be renewed', async () => {
    const [lim] = limiters;
    const g = newGroup();
    await lim!.acquire(g, 'kept', 1, 600);
    await lim!.acquire(g, 'lost', null, 600);
    await sleep(300);
    expect(await lim!.renew(g, 'kept', 600)).toBe(true);
    await sleep(400);
    expect(await lim!.active(g)).toBe(1);
    expect(await lim!.renew(g, 'lost', 600)).toBe(false);
    expect(await lim!.renew(g, 'never', 300)).toBe(false);
    expect((await lim!.acquire(g, 'other', 1)).ok).toBe(false);
    await lim!.release(g, 'kept');
    expect((await lim!.acquire(g, 'other', 1)).ok).toBe(true);
  });

  it('the whole key disappears when every lease has lapsed', async () => {
    const g = newGroup();
    await limiters[0]!.acquire(g, 'a', 1, 100);
    await sleep(250);
    expect(await clients[0]!.exists(limiters[0]!.key(g))).toBe(0);
  });
});
