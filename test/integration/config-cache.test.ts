/**
 * The configuration cache of the call path: a hit costs no SQL, a write to
 * a table behind an entry drops it here at once (the writer never reads it
 * stale) and on another node through Redis; raw SQL writes count too.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigCache, writtenTables } from '../../src/store/config-cache.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { userWithNumbers } from '../helpers/provision.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const until = Date.now() + 3000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('configuration cache (no SQL per call)', () => {
  it('names the tables of inserts, updates, deletes and raw writes, and none of reads', () => {
    const db = h.services.db;
    const node = (q: { toOperationNode(): unknown }) =>
      q.toOperationNode() as Parameters<typeof writtenTables>[0];
    expect(writtenTables(node(db.insertInto('phones').values({} as never)))).toEqual(['phones']);
    expect(writtenTables(node(db.updateTable('sip_accounts').set({ domain: 'x' })))).toEqual([
      'sip_accounts',
    ]);
    expect(writtenTables(node(db.deleteFrom('usergroup_members as m')))).toEqual(['usergroup_members']);
    expect(writtenTables(node(db.selectFrom('phones').selectAll()))).toEqual([]);
    expect(writtenTables(node(sql`DELETE FROM ${sql.table('user_cnam')} WHERE phone = ${'+1'}`))).toEqual([
      'user_cnam',
    ]);
    expect(writtenTables(node(sql`SELECT * FROM ${sql.table('user_cnam')}`))).toEqual([]);
  });

  it('serves a hit without loading, and a write to the table drops the entry on the writing node at once', async () => {
    const { numbers } = await userWithNumbers(h);
    const cache = h.services.configCache;
    // The provisioning writes drop the namespace once more after their commit.
    await cache.settled();
    let loads = 0;
    const read = () =>
      cache.get('routing', `test:${numbers[0]}`, async () => {
        loads++;
        return (
          (
            await h.services.db
              .selectFrom('phones')
              .select('announcement')
              .where('number', '=', numbers[0]!)
              .executeTakeFirst()
          )?.announcement ?? null
        );
      });
    // Two reads: the second is a hit. Another write of the harness dropping the namespace between
    // them (a settle drop, a relay's write) is legitimate: then the pair is read again.
    for (let attempt = 0; ; attempt++) {
      const drops = cache.stats.drops;
      const before = loads;
      expect(await read()).toBeNull();
      expect(await read()).toBeNull();
      if (cache.stats.drops === drops) {
        expect(loads - before).toBeLessThanOrEqual(1);
        break;
      }
      expect(attempt, 'a pair of reads without a drop between them').toBeLessThan(5);
      await new Promise((r) => setTimeout(r, 400));
    }
    const loaded = loads;
    await h.services.db
      .updateTable('phones')
      .set({ notification_email: true })
      .where('number', '=', numbers[0]!)
      .execute();
    await read();
    expect(loads).toBe(loaded + 1);
  });

  it('drops the entry on another node through Redis', async () => {
    const other = new ConfigCache(h.redis, `${h.config.redisPrefix}config:invalidate`);
    let loads = 0;
    const read = () => other.get('policy', 'k', async () => ++loads);
    await read();
    // The other node's subscription must be up before the change it should hear of.
    await new Promise((r) => setTimeout(r, 100));
    await h.services.db
      .updateTable('usergroups')
      .set({ description: 'x' })
      .where('uuid', '=', '00000000-0000-1000-8000-000000000000')
      .execute();
    await eventually(async () => (await read()) === 2, 'reloaded after the remote write');
    await other.close();
  });

  it('does not drop again on the echo of its own message', async () => {
    // A channel of their own: the harness's cache publishes its writes' drops on the shared one.
    const channel = `${h.config.redisPrefix}config:invalidate:echo-test`;
    const cache = new ConfigCache(h.redis, channel);
    const other = new ConfigCache(h.redis, channel);
    await cache.get('media', 'k', async () => 1);
    await other.get('media', 'k', async () => 1);
    // Both subscriptions up: each drops all four namespaces when it becomes ready.
    await eventually(async () => cache.stats.drops >= 4 && other.stats.drops >= 4, 'subscribed');
    const before = cache.stats.drops;
    const otherBefore = other.stats.drops;
    cache.invalidate(['media']);
    await eventually(async () => other.stats.drops > otherBefore, 'the other node heard it');
    await new Promise((r) => setTimeout(r, 100));
    expect(cache.stats.drops - before).toBe(1);
    await cache.close();
    await other.close();
  });

  it('a load that was running when its namespace was dropped is not kept', async () => {
    const cache = new ConfigCache(h.redis, `${h.config.redisPrefix}config:invalidate`);
    let release!: (v: string) => void;
    const first = cache.get('accounts', 'k', () => new Promise<string>((r) => (release = r)));
    cache.invalidate(['accounts']);
    release('old');
    expect(await first).toBe('old');
    expect(await cache.get('accounts', 'k', async () => 'new')).toBe('new');
    await cache.close();
  });
});
