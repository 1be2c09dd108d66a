import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { connectRedis } from '../../src/lib/redis.js';
import { createServices } from '../../src/services/index.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
});
afterAll(async () => {
  await h?.close();
});

const poll = (sid: string, query: string) => h.call('GET', `/api/event?${query}`, { sid });

async function publishN(userId: string, n: number, event = 'object_modify'): Promise<void> {
  for (let i = 0; i < n; i++) await h.services.events.publish({ users: [userId] }, event, { seq: i });
}

describe('GET /api/event (spec 3.27)', () => {
  it('numbers events contiguously from 0 and returns next', async () => {
    const u = await h.user();
    await publishN(u.uuid, 3);
    const res = await poll(u.sid, 'timeout=0');
    expect(res.status).toBe('ok');
    expect(res.event.map((e: { id: number }) => e.id)).toEqual([0, 1, 2]);
    expect(res.next).toBe(3);
    expect(res.event[0]).toMatchObject({ id: 0, event: 'object_modify', seq: 0 });
    expect(typeof res.event[0].time).toBe('number');
    expect((await h.call('GET', '/api/session', { sid: u.sid })).next_event).toBe(3);
  });

  it('returns only events with id >= next, so clients can share a stream', async () => {
    const u = await h.user();
    await publishN(u.uuid, 4);
    const a = await poll(u.sid, 'next=0&timeout=0');
    const b = await poll(u.sid, 'next=2&timeout=0');
    expect(a.event.map((e: { id: number }) => e.id)).toEqual([0, 1, 2, 3]);
    expect(b.event.map((e: { id: number }) => e.id)).toEqual([2, 3]);
    expect(b.next).toBe(4);
  });

  it('answers timeout when no event arrives', async () => {
    const u = await h.user();
    const t0 = Date.now();
    const res = await poll(u.sid, 'timeout=1');
    expect(res.status).toBe('timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect((await poll(u.sid, 'timeout=0')).status).toBe('timeout');
  });

  it('blocks until an event arrives and then returns at once', async () => {
    const u = await h.user();
    const pending = poll(u.sid, 'timeout=20');
    await new Promise((r) => setTimeout(r, 150));
    await h.services.events.publish({ users: [u.uuid] }, 'user_modify', {});
    const res = await pending;
    expect(res.status).toBe('ok');
    expect(res.event).toEqual([{ id: 0, event: 'user_modify', time: expect.any(Number) }]);
  });

  it('delivers to every session of the user', async () => {
    const u = await h.user();
    const second = await h.call('POST', '/api/session', {
      body: { username: u.username, password: u.password },
    });
    await h.services.events.publish({ users: [u.uuid] }, 'user_modify', {});
    expect((await poll(u.sid, 'timeout=0')).event).toHaveLength(1);
    expect((await poll(second.sid, 'timeout=0')).event).toHaveLength(1);
  });

  it('checks its parameters', async () => {
    const u = await h.user();
    expect((await poll(u.sid, 'timeout=301')).status).toBe('wrong-syntax');
    expect((await poll(u.sid, 'timeout=-1')).status).toBe('wrong-syntax');
    expect((await poll(u.sid, 'next=abc')).status).toBe('wrong-syntax');
    expect((await h.call('GET', '/api/event?timeout=0')).status).toBe('no-session');
  });

  it('keeps a bounded number of events; the client sees the gap in ids', async () => {
    const small = await createHarness({ EVENT_MAX_COUNT: '10' });
    try {
      const u = await small.user();
      for (let i = 0; i < 15; i++)
        await small.services.events.publish({ users: [u.uuid] }, 'user_modify', {});
      const res = await small.call('GET', '/api/event?next=0&timeout=0', { sid: u.sid });
      expect(res.event.map((e: { id: number }) => e.id)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
      expect(res.next).toBe(15);
    } finally {
      await small.close();
    }
  });

  it('a long-poll on one API node is woken by an event published on another', async () => {
    const u = await h.user();
    const redis2 = await connectRedis(h.config.redisUrl);
    const node2 = createServices({ config: h.config, db: h.services.db, redis: redis2 });
    const app2 = await buildApp(node2);
    try {
      const pending = h.call('GET', '/api/event?timeout=20', { sid: u.sid, app: app2 });
      await new Promise((r) => setTimeout(r, 150));
      await h.services.events.publish({ users: [u.uuid] }, 'user_modify', {});
      const res = await pending;
      expect(res.event).toHaveLength(1);
    } finally {
      await app2.close();
      await node2.close();
      redis2.disconnect();
    }
  });

  it('loses no event across an API node restart', async () => {
    const u = await h.user();
    await publishN(u.uuid, 2);
    await h.app.close();
    h.app = await h.newApp();
    await publishN(u.uuid, 1);
    const res = await poll(u.sid, 'timeout=0');
    expect(res.event.map((e: { id: number }) => e.id)).toEqual([0, 1, 2]);
  });

  it('drops the stream with the session', async () => {
    const u = await h.user();
    await publishN(u.uuid, 2);
    await h.call('DELETE', '/api/session', { sid: u.sid });
    expect(await h.services.eventLog.read(u.sid, 0)).toEqual([]);
  });
});

describe('event filters (spec 3.27 POST/DELETE /api/event/filter)', () => {
  const owner = 'b4e38072-dcd1-11e2-a597-0024e8f90cc0';
  const specExample = {
    op: 'or',
    args: [
      {
        op: 'and',
        args: [
          { op: 'equal', key: 'owner', value: owner },
          { op: 'rematch', key: 'type', value: 'sensor|box' },
        ],
      },
      { op: 'filter', key: 'object', arg: { op: 'equal', key: 'owner', value: owner } },
    ],
  };

  async function filtered(filter: unknown, payloads: Array<Record<string, unknown>>): Promise<number[]> {
    const u = await h.user();
    const res = await h.call('POST', '/api/event/filter', { sid: u.sid, body: filter });
    expect(res.status).toBe('ok');
    for (const [i, p] of payloads.entries())
      await h.services.events.publish({ users: [u.uuid] }, 'test', { i, ...p });
    const got = await poll(u.sid, 'timeout=0');
    return got.status === 'timeout' ? [] : got.event.map((e: { i: number }) => e.i);
  }

  it('passes what the spec example says it passes', async () => {
    const passed = await filtered(specExample, [
      { owner, type: 'sensor' },
      { owner, type: 'box' },
      { owner, type: 'fax' },
      { owner: 'someone-else', type: 'box' },
      { object: { owner } },
      { object: { owner: 'x' } },
      { object: 'not-an-object' },
    ]);
    expect(passed).toEqual([0, 1, 4]);
  });

  it('equal matches JSON types exactly', async () => {
    expect(
      await filtered({ op: 'equal', key: 'v', value: 1 }, [
        { v: 1 },
        { v: '1' },
        { v: true },
        { v: [1] },
        {},
      ]),
    ).toEqual([0]);
    expect(
      await filtered({ op: 'equal', key: 'v', value: { a: [1, null] } }, [
        { v: { a: [1, null] } },
        { v: { a: [1] } },
      ]),
    ).toEqual([0]);
  });

  it('greater, lesser and contain', async () => {
    expect(await filtered({ op: 'greater', key: 'n', value: 5 }, [{ n: 6 }, { n: 5 }, { n: '9' }])).toEqual([
      0,
    ]);
    expect(await filtered({ op: 'lesser', key: 'n', value: 5 }, [{ n: 4 }, { n: 5 }, { n: null }])).toEqual([
      0,
    ]);
    expect(
      await filtered({ op: 'contain', key: 'tag', value: 'a' }, [
        { tag: ['b', 'a'] },
        { tag: ['b'] },
        { tag: 'a' },
      ]),
    ).toEqual([0]);
  });

  it('not negates, and nests', async () => {
    expect(
      await filtered({ op: 'not', arg: { op: 'rematch', key: 't', value: '^x' } }, [
        { t: 'xa' },
        { t: 'ya' },
        {},
      ]),
    ).toEqual([1, 2]);
  });

  it('refuses malformed filters with wrong-syntax', async () => {
    const u = await h.user();
    for (const bad of [
      { op: 'nope' },
      { op: 'equal', key: 'a' },
      { op: 'rematch', key: 'a', value: '(' },
      { op: 'rematch', key: 'a', value: 5 },
      { op: 'greater', key: 'a', value: '5' },
      { op: 'and', args: [] },
      { op: 'and', args: [{ op: 'equal' }] },
      { op: 'not' },
      { op: 'filter', key: 'a' },
      [1, 2],
      'equal',
    ]) {
      expect((await h.call('POST', '/api/event/filter', { sid: u.sid, body: bad })).status).toBe(
        'wrong-syntax',
      );
    }
    let deep: Record<string, unknown> = { op: 'equal', key: 'a', value: 1 };
    for (let i = 0; i < 40; i++) deep = { op: 'not', arg: deep };
    expect((await h.call('POST', '/api/event/filter', { sid: u.sid, body: deep })).status).toBe(
      'wrong-syntax',
    );
  });

  it('lets events through with filter_error when a stored filter cannot be evaluated', async () => {
    const u = await h.user();
    // A filter stored by an older version whose syntax is no longer valid.
    await h.redis.set(`${h.config.redisPrefix}ev:filter:${u.sid}`, JSON.stringify({ op: 'legacy-op' }));
    await h.services.events.publish({ users: [u.uuid] }, 'user_modify', {});
    const res = await poll(u.sid, 'timeout=0');
    expect(res.event[0].event).toBe('user_modify');
    expect(res.event[0].filter_error).toMatch(/legacy-op/);
  });

  it('runs users’ regular expressions in linear time (RE2)', async () => {
    const u = await h.user();
    await h.call('POST', '/api/event/filter', {
      sid: u.sid,
      body: { op: 'rematch', key: 's', value: '^(a+)+$' },
    });
    const evil = `${'a'.repeat(50_000)}b`;
    const t0 = Date.now();
    await h.services.events.publish({ users: [u.uuid] }, 'test', { s: evil });
    await h.services.events.publish({ users: [u.uuid] }, 'test', { s: 'aaaa' });
    const elapsed = Date.now() - t0;
    const res = await poll(u.sid, 'timeout=0');
    expect(res.event.map((e: { s: string }) => e.s)).toEqual(['aaaa']);
    // A backtracking engine needs longer than the age of the universe here.
    expect(elapsed).toBeLessThan(5000);
  });

  it('DELETE removes the filter', async () => {
    const u = await h.user();
    await h.call('POST', '/api/event/filter', { sid: u.sid, body: { op: 'equal', key: 'x', value: 1 } });
    await h.services.events.publish({ users: [u.uuid] }, 'test', {});
    expect(await h.call('DELETE', '/api/event/filter', { sid: u.sid })).toEqual({ status: 'ok' });
    await h.services.events.publish({ users: [u.uuid] }, 'test', {});
    expect((await poll(u.sid, 'timeout=0')).event.map((e: { id: number }) => e.id)).toEqual([0]);
  });
});

describe('call API event subscription (spec 3.24 GET/DELETE /api/call/event)', () => {
  it('routes call channel events to subscribed sessions only', async () => {
    const u = await h.user();
    const other = await h.call('POST', '/api/session', {
      body: { username: u.username, password: u.password },
    });
    expect(await h.call('GET', '/api/call/event', { sid: u.sid })).toEqual({ status: 'ok' });
    await h.services.events.publish({ channel: `call:${u.uuid}` }, 'call_update', { call: 'x' });
    expect((await poll(u.sid, 'timeout=0')).event[0]).toMatchObject({ event: 'call_update', call: 'x' });
    expect((await poll(other.sid, 'timeout=0')).status).toBe('timeout');
    expect(await h.call('DELETE', '/api/call/event', { sid: u.sid })).toEqual({ status: 'ok' });
    await h.services.events.publish({ channel: `call:${u.uuid}` }, 'call_update', { call: 'y' });
    expect((await poll(u.sid, 'next=1&timeout=0')).status).toBe('timeout');
  });

  it('needs a user session', async () => {
    const p = await h.partner();
    expect((await h.call('GET', '/api/call/event', { sid: p.sid })).status).toBe('no-auth');
    expect((await h.call('GET', '/api/call/event')).status).toBe('no-session');
  });
});

describe('conference event subscription (spec 3.17 GET/DELETE /api/conference/(uuid)/event)', () => {
  it('subscribes to a conference of the user and routes its channel events', async () => {
    const u = await h.user();
    const conf = await h.services.objects.create({
      type: 'conference',
      owner: u.uuid,
      description: 'Daily',
      data: { active: false, pin: '4711' },
    });
    await h.call('GET', '/api/event?timeout=0', { sid: u.sid }); // object_new
    const next = (await h.call('GET', '/api/session', { sid: u.sid })).next_event;
    expect(await h.call('GET', `/api/conference/${conf.uuid}/event`, { sid: u.sid })).toEqual({
      status: 'ok',
      busy: false,
    });
    await h.services.events.publish({ channel: `conference:${conf.uuid}` }, 'conference_join', {
      conference: conf.uuid,
    });
    const got = await poll(u.sid, `next=${next}&timeout=0`);
    expect(got.event[0]).toMatchObject({ event: 'conference_join', conference: conf.uuid });
    expect(await h.call('DELETE', `/api/conference/${conf.uuid}/event`, { sid: u.sid })).toEqual({
      status: 'ok',
    });
    await h.services.events.publish({ channel: `conference:${conf.uuid}` }, 'conference_leave', {});
    expect((await poll(u.sid, `next=${got.next}&timeout=0`)).status).toBe('timeout');
  });

  it("answers wrong-conference for unknown ones, other users' ones and non-conference objects", async () => {
    const u = await h.user();
    const other = await h.user();
    const theirs = await h.services.objects.create({ type: 'conference', owner: other.uuid });
    const fax = await h.services.objects.create({ type: 'fax', owner: u.uuid });
    for (const id of [theirs.uuid, fax.uuid, '1de7257a-4f34-11e0-ab6e-0024e8f90cc0']) {
      expect((await h.call('GET', `/api/conference/${id}/event`, { sid: u.sid })).status).toBe(
        'wrong-conference',
      );
      expect((await h.call('DELETE', `/api/conference/${id}/event`, { sid: u.sid })).status).toBe(
        'wrong-conference',
      );
    }
    expect((await h.call('GET', '/api/conference/nope/event', { sid: u.sid })).status).toBe('wrong-syntax');
  });
});

describe('events of what already exists (spec chapter 7)', () => {
  it('user_modify, tag_new/modify/delete, object_tag, user_metadata and trash_purge reach the user', async () => {
    const u = await h.user();
    await h.call('POST', '/api/user', { sid: u.sid, body: { firstname: 'Johnny' } });
    const tag = await h.call('POST', '/api/tag', { sid: u.sid, body: { label: 'Project X' } });
    await h.call('POST', `/api/tag/${tag.uuid}`, { sid: u.sid, body: { label: 'Project Y' } });
    const obj = await h.services.objects.create({ type: 'recording', owner: u.uuid, description: 'Call' });
    await h.call('POST', `/api/object/${obj.uuid}/tag`, { sid: u.sid, body: { add: [tag.uuid] } });
    await h.call('DELETE', `/api/tag/${tag.uuid}`, { sid: u.sid });
    await h.call('POST', '/api/user/metadata', { sid: u.sid, body: { update: { 'com.example.aa': 1 } } });
    await h.call('DELETE', '/api/trash', { sid: u.sid });
    const res = await poll(u.sid, 'timeout=0');
    const names = res.event.map((e: { event: string }) => e.event);
    expect(names).toEqual([
      'user_modify',
      'tag_new',
      'tag_modify',
      'object_new',
      'object_tag',
      'tag_delete',
      'user_metadata',
      'trash_purge',
    ]);
    const byName = Object.fromEntries(res.event.map((e: { event: string }) => [e.event, e]));
    expect(byName['tag_new']).toMatchObject({
      tag: tag.uuid,
      owner: u.uuid,
      label: 'Project X',
      foreign_use: false,
      policy: { [u.uuid]: 4 },
    });
    expect(byName['object_new']).toMatchObject({
      object: obj.uuid,
      type: 'recording',
      owner: u.uuid,
      description: 'Call',
    });
    expect(byName['object_tag']).toMatchObject({ object: obj.uuid, tag_add: [tag.uuid], tag_delete: [] });
    expect(byName['tag_delete']).toMatchObject({ tag: tag.uuid });
  });
});
