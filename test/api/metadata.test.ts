import { v1 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
let bob: TestUser;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
  bob = await h.user();
});
afterAll(async () => {
  await h?.close();
});

const eventsOf = async (sid: string, name: string) =>
  (await h.services.eventLog.read(sid, 0))
    .filter((e) => e.event === name)
    .map(({ id: _i, time: _t, ...rest }) => rest);

/** The spec's POST example (spec 3.5 / 3.12). */
const SPEC_UPDATE = {
  update: { 'com.otherdomain.client.nice': true, 'com.otherdomain.client.timestamp': 1324899645 },
  delete: ['com.otherdomain.client.something'],
};

/** The spec's GET /api/object/(uuid)/metadata example contents. */
const SPEC_OBJECT_METADATA = {
  'org.mydomain.firstapp.floor': 'basement',
  'org.mydomain.firstapp.room': 'conference room',
  'com.otherdomain.client.nice': null,
  'com.otherdomain.client.phonelist': ['+492216698000', '+492216698999'],
  'com.otherdomain.client.timestamp': 1324898273,
  'com.otherdomain.client.triggers': { this: true, that: false },
};

/**
 * The same behaviour for both targets: user metadata (spec 3.5) and object
 * metadata (spec 3.12) share one implementation and one test table.
 */
const targets = [
  {
    name: 'user',
    event: 'user_metadata',
    setup: async (u: TestUser) => ({ url: '/api/user/metadata', object: undefined as string | undefined, u }),
  },
  {
    name: 'object',
    event: 'object_metadata',
    setup: async (u: TestUser) => {
      const obj = await h.services.objects.create({ type: 'xobject', owner: u.uuid });
      return { url: `/api/object/${obj.uuid}/metadata`, object: obj.uuid as string | undefined, u };
    },
  },
];

describe.each(targets)('$name metadata', ({ name, event, setup }) => {
  const get = (t: { url: string; u: TestUser }, query?: Record<string, string>) =>
    h.call('GET', t.url, { sid: t.u.sid, ...(query ? { query } : {}) });
  const post = (t: { url: string; u: TestUser }, body: unknown, query?: Record<string, string>) =>
    h.call('POST', t.url, { sid: t.u.sid, body, ...(query ? { query } : {}) });
  /** The expected event payload: object metadata names the object and the acting user. */
  const payload = (
    t: { object: string | undefined; u: TestUser },
    changes: { update: unknown; delete: unknown },
  ) => (t.object ? { event, object: t.object, user: t.u.uuid, ...changes } : { event, ...changes });

  it('starts empty, stores the spec example values and returns them (null included)', async () => {
    const t = await setup(await h.user());
    expect(await get(t)).toEqual({ status: 'ok', metadata: {} });
    expect(await post(t, { update: SPEC_OBJECT_METADATA })).toEqual({ status: 'ok' });
    expect(await get(t)).toEqual({ status: 'ok', metadata: SPEC_OBJECT_METADATA });
  });

  it('applies the spec POST example: updates, adds and deletes', async () => {
    const t = await setup(await h.user());
    await post(t, { update: SPEC_OBJECT_METADATA });
    await post(t, { update: { 'com.otherdomain.client.something': 'x' } });
    expect(await post(t, SPEC_UPDATE)).toEqual({ status: 'ok' });
    expect((await get(t)).metadata).toEqual({
      ...SPEC_OBJECT_METADATA,
      'com.otherdomain.client.nice': true,
      'com.otherdomain.client.timestamp': 1324899645,
    });
  });

  it('keeps null as a value, unlike delete, and accepts deleting unknown keys', async () => {
    const t = await setup(await h.user());
    await post(t, { update: { 'com.example.a1': null, 'com.example.b1': 1 } });
    await post(t, { delete: ['com.example.b1', 'com.example.never'] });
    expect((await get(t)).metadata).toEqual({ 'com.example.a1': null });
  });

  it('selects by keys and by domain (not the domain key itself)', async () => {
    const t = await setup(await h.user());
    await post(t, {
      update: {
        'com.mycompany': 0,
        'com.mycompany.application1.element1': 1,
        'com.mycompany.entity2': 2,
        'com.mycompanyx.other': 3,
        'org.mydomain.phone': '+492216698000',
        'org.mydomain.room': 'B3',
      },
    });
    expect((await get(t, { domain: 'com.mycompany' })).metadata).toEqual({
      'com.mycompany.application1.element1': 1,
      'com.mycompany.entity2': 2,
    });
    expect(await get(t, { keys: 'org.mydomain.phone,org.mydomain.room,org.mydomain.missing' })).toEqual({
      status: 'ok',
      metadata: { 'org.mydomain.phone': '+492216698000', 'org.mydomain.room': 'B3' },
    });
    expect((await get(t, { domain: 'com' })).metadata).toEqual({
      'com.mycompany': 0,
      'com.mycompany.application1.element1': 1,
      'com.mycompany.entity2': 2,
      'com.mycompanyx.other': 3,
    });
    expect(
      (await get(t, { keys: 'com.mycompany,com.mycompany.entity2', domain: 'com.mycompany' })).metadata,
    ).toEqual({
      'com.mycompany.entity2': 2,
    });
  });

  it('refuses malformed keys, domains and bodies with wrong-syntax', async () => {
    const t = await setup(await h.user());
    const queries: Array<Record<string, string>> = [
      { keys: '' },
      { keys: 'bad' },
      { keys: 'com.ok,Bad.key' },
      { domain: 'c' },
      { domain: 'com.' },
    ];
    for (const query of queries) {
      expect((await get(t, query)).status, JSON.stringify(query)).toBe('wrong-syntax');
    }
    for (const body of [
      { update: { single: 1 } },
      { update: { 'Com.example': 1 } },
      { update: { 'com.x': 1 } },
      { update: { [`com.${'x'.repeat(51)}`]: 1 } },
      { update: { [Array.from({ length: 12 }, () => 'ab').join('.')]: 1 } },
      { update: [] },
      { update: 'x' },
      { delete: 'com.example.a1' },
      { delete: ['nodots'] },
      { delete: [1] },
      { update: { 'com.example.a1': 1 }, delete: ['com.example.a1'] },
      { update: { 'com.example.a1': 'a\u0000b' } },
      { update: { 'com.example.a1': JSON.parse('"\\ud800"') } },
      '[1,2',
      [],
    ]) {
      expect((await post(t, body)).status, JSON.stringify(body)).toBe('wrong-syntax');
    }
    expect((await get(t)).metadata).toEqual({});
  });

  it('refuses values nested too deeply for the database with wrong-syntax', async () => {
    const t = await setup(await h.user());
    const deep = `{"update":{"com.example.deep":${'['.repeat(20000)}${']'.repeat(20000)}}}`;
    expect((await post(t, deep)).status).toBe('wrong-syntax');
    const ok = `{"update":{"com.example.deep":${'['.repeat(500)}${']'.repeat(500)}}}`;
    expect((await post(t, ok)).status).toBe('ok');
  });

  it('answers too-large for a value over 100 KB, storing nothing of the request', async () => {
    const t = await setup(await h.user());
    const exact = 'x'.repeat(100 * 1024 - 2);
    expect((await post(t, { update: { 'com.example.big': exact } })).status).toBe('ok');
    const res = await post(t, { update: { 'com.example.small': 1, 'com.example.big': `${exact}y` } });
    expect(res.status).toBe('too-large');
    expect((await get(t)).metadata).toEqual({ 'com.example.big': exact });
    const nested = { list: Array.from({ length: 20000 }, (_, i) => i) };
    expect((await post(t, { update: { 'com.example.nested': nested } })).status).toBe('too-large');
  });

  it(`sends ${event} to all sessions of the user (spec 7.8), not to others`, async () => {
    const u = await h.user();
    const t = await setup(u);
    const second = (
      await h.call('POST', '/api/session', { body: { username: u.username, password: u.password } })
    ).sid as string;
    await post(t, SPEC_UPDATE);
    for (const sid of [u.sid, second]) {
      expect(await eventsOf(sid, event)).toEqual([
        payload(t, { update: SPEC_UPDATE.update, delete: SPEC_UPDATE.delete }),
      ]);
    }
    expect(await eventsOf(bob.sid, event)).toEqual([]);
  });

  it('noevent stores without an event; nostore sends the event without storing; both do neither', async () => {
    const t = await setup(await h.user());
    expect((await post(t, { update: { 'com.example.a1': 1 } }, { noevent: '' })).status).toBe('ok');
    expect(await eventsOf(t.u.sid, event)).toEqual([]);
    expect((await get(t)).metadata).toEqual({ 'com.example.a1': 1 });

    expect(
      (await post(t, { update: { 'com.example.b1': 2 }, delete: ['com.example.a1'] }, { nostore: '' }))
        .status,
    ).toBe('ok');
    expect((await get(t)).metadata).toEqual({ 'com.example.a1': 1 });
    expect(await eventsOf(t.u.sid, event)).toEqual([
      payload(t, { update: { 'com.example.b1': 2 }, delete: ['com.example.a1'] }),
    ]);

    await post(t, { update: { 'com.example.c1': 3 } }, { noevent: '1', nostore: 'true' });
    expect((await get(t)).metadata).toEqual({ 'com.example.a1': 1 });
    expect(await eventsOf(t.u.sid, event)).toHaveLength(1);
  });

  it('sends no event for an empty change', async () => {
    const t = await setup(await h.user());
    expect((await post(t, {})).status).toBe('ok');
    expect((await post(t, { update: {}, delete: [] })).status).toBe('ok');
    expect(await eventsOf(t.u.sid, event)).toEqual([]);
  });

  it("keeps every user's (and object's) metadata apart", async () => {
    const a = await setup(await h.user());
    const b = await setup(await h.user());
    await post(a, { update: { 'com.example.a1': 'a' } });
    await post(b, { update: { 'com.example.a1': 'b' } });
    expect((await get(a)).metadata).toEqual({ 'com.example.a1': 'a' });
    expect((await get(b)).metadata).toEqual({ 'com.example.a1': 'b' });
  });

  it('answers no-session and no-auth', async () => {
    const t = await setup(await h.user());
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const partner = await h.partner();
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', { update: {} }],
    ] as const) {
      expect((await h.call(method, t.url, { body })).status).toBe('no-session');
      expect((await h.call(method, t.url, { body, sid: anon })).status).toBe('no-auth');
      expect((await h.call(method, t.url, { body, sid: partner.sid })).status).toBe('no-auth');
    }
    expect(name).toMatch(/user|object/);
  });
});

describe('object metadata access (spec 3.12)', () => {
  it("answers wrong-object for unknown objects and another user's object, leaving it untouched", async () => {
    const u = await h.user();
    const obj = await h.services.objects.create({ type: 'xobject', owner: u.uuid });
    await h.call('POST', `/api/object/${obj.uuid}/metadata`, {
      sid: u.sid,
      body: { update: { 'com.example.a1': 'mine' } },
    });
    for (const uuid of [obj.uuid, v1()]) {
      const url = `/api/object/${uuid}/metadata`;
      expect((await h.call('GET', url, { sid: bob.sid })).status).toBe('wrong-object');
      const res = await h.call('POST', url, {
        sid: bob.sid,
        body: { update: { 'com.example.a1': 'stolen' } },
      });
      expect(res.status).toBe('wrong-object');
    }
    expect((await h.call('GET', `/api/object/${obj.uuid}/metadata`, { sid: u.sid })).metadata).toEqual({
      'com.example.a1': 'mine',
    });
    expect(await eventsOf(bob.sid, 'object_metadata')).toEqual([]);
    expect((await h.call('GET', '/api/object/nope/metadata', { sid: u.sid })).status).toBe('wrong-syntax');
  });

  it('keeps working on an object in the trash and goes away with the purge', async () => {
    const u = await h.user();
    const obj = await h.services.objects.create({ type: 'xobject', owner: u.uuid });
    await h.services.objects.moveToTrash(obj);
    const url = `/api/object/${obj.uuid}/metadata`;
    expect(
      (await h.call('POST', url, { sid: u.sid, body: { update: { 'com.example.a1': 1 } } })).status,
    ).toBe('ok');
    await h.call('DELETE', '/api/trash', { sid: u.sid });
    expect((await h.call('GET', url, { sid: u.sid })).status).toBe('wrong-object');
  });

  it('user metadata goes away with the account data', async () => {
    const u = await h.user();
    await h.call('POST', '/api/user/metadata', { sid: u.sid, body: { update: { 'com.example.a1': 1 } } });
    await h.services.metadata.deleteAllOfUser(u.uuid);
    expect((await h.call('GET', '/api/user/metadata', { sid: u.sid })).metadata).toEqual({});
  });
});
