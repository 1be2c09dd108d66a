import { v1 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectRecord } from '../../src/services/object-service.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
  alice = await h.user();
  bob = await h.user();
  h.services.objects.registerType('testpurge', {
    purge: async (obj) => {
      purged.push(obj.uuid);
      if (obj.data['failPurge']) throw new Error('disk on fire');
    },
  });
});
afterAll(async () => {
  await h?.close();
});

const purged: string[] = [];
const systemTags = async (u: TestUser) => (await h.services.users.byId(u.uuid))!.system_tags;
const eventsOf = async (sid: string, name: string) =>
  (await h.services.eventLog.read(sid, 0)).filter((e) => e.event === name);
const newTag = async (u: TestUser, label = 'tag') =>
  (await h.call('POST', '/api/tag', { sid: u.sid, body: { label } }))['uuid'] as string;
/** An object created at a given second (the UUID's v1 time is the creation time). */
const objectAt = (
  u: TestUser,
  seconds: number,
  extra: Partial<Parameters<Harness['services']['objects']['create']>[0]> = {},
) =>
  h.services.objects.create({
    uuid: v1({ msecs: seconds * 1000 }),
    type: 'xobject',
    owner: u.uuid,
    ...extra,
  });
const list = async (u: TestUser, tag: string, query: Record<string, string> = {}) =>
  h.call('GET', `/api/tag/${tag}/object`, { sid: u.sid, query });
const listedIds = async (u: TestUser, tag: string, query: Record<string, string> = {}) => {
  const res = await list(u, tag, query);
  expect(res.status).toBe('ok');
  return Object.keys(res['object'] as object);
};
const tagObject = (u: TestUser, obj: string, body: unknown) =>
  h.call('POST', `/api/object/${obj}/tag`, { sid: u.sid, body });

describe('ObjectService.create and the object_new event (spec 7.6.1)', () => {
  it('attaches tag_all plus requested system tags and publishes object_new to the owner', async () => {
    const sys = await systemTags(alice);
    const obj = await h.services.objects.create({
      type: 'fax',
      owner: alice.uuid,
      description: 'Versicherungsvertrag Hausrat',
      data: { page_count: 12 },
      tags: ['tag_inbox', 'tag_unread', 'tag_inbox'],
    });
    expect(new Set(obj.tags)).toEqual(new Set([sys.tag_all, sys.tag_inbox, sys.tag_unread]));
    expect(obj.trashed).toBe(false);
    const ev = (await eventsOf(alice.sid, 'object_new')).find((e) => e['object'] === obj.uuid);
    expect(ev).toEqual({
      id: expect.any(Number),
      event: 'object_new',
      time: expect.any(Number),
      object: obj.uuid,
      type: 'fax',
      owner: alice.uuid,
      description: 'Versicherungsvertrag Hausrat',
      tag: obj.tags,
    });
    expect((await eventsOf(bob.sid, 'object_new')).some((e) => e['object'] === obj.uuid)).toBe(false);
  });

  it('leaves description out of object_new when there is none', async () => {
    const obj = await h.services.objects.create({ type: 'contact', owner: alice.uuid });
    const ev = (await eventsOf(alice.sid, 'object_new')).find((e) => e['object'] === obj.uuid)!;
    expect(ev).not.toHaveProperty('description');
  });

  it("accepts the owner's own tags by UUID and refuses another user's tag without creating anything", async () => {
    const mine = await newTag(alice, 'mine');
    const obj = await h.services.objects.create({ type: 'xobject', owner: alice.uuid, tags: [mine] });
    expect(obj.tags).toContain(mine);
    const bobs = await newTag(bob, 'bobs');
    const uuid = v1();
    await expect(
      h.services.objects.create({ uuid, type: 'xobject', owner: alice.uuid, tags: [bobs] }),
    ).rejects.toMatchObject({ status: 'wrong-tag' });
    expect(await h.services.objects.find(alice.uuid, uuid)).toBeUndefined();
  });

  it('refuses data a jsonb column cannot hold instead of failing in the database', async () => {
    await expect(
      h.services.objects.create({ type: 'xobject', owner: alice.uuid, data: { x: 'a\u0000' } }),
    ).rejects.toMatchObject({ status: 'wrong-syntax' });
    await expect(
      h.services.objects.create({ type: 'xobject', owner: alice.uuid, description: 'a\u0000' }),
    ).rejects.toMatchObject({ status: 'wrong-syntax' });
    const obj = await h.services.objects.create({ type: 'xobject', owner: alice.uuid });
    await expect(h.services.objects.modify(obj, { searchText: '\u0000' })).rejects.toMatchObject({
      status: 'wrong-syntax',
    });
  });
});

describe('ObjectService.get / find', () => {
  it("answers another user's object exactly like an unknown one", async () => {
    const obj = await h.services.objects.create({ type: 'fax', owner: alice.uuid });
    expect((await h.services.objects.get(alice.uuid, obj.uuid.toUpperCase())).uuid).toBe(obj.uuid);
    for (const [user, uuid] of [
      [bob.uuid, obj.uuid],
      [alice.uuid, v1()],
      [alice.uuid, 'garbage'],
    ] as const) {
      await expect(h.services.objects.get(user, uuid)).rejects.toMatchObject({
        status: 'wrong-object',
        message: 'the UUID does not match an object accessible by the current user',
      });
    }
  });

  it('uses the caller status for a type mismatch (wrong-fax for a recording)', async () => {
    const rec = await h.services.objects.create({ type: 'recording', owner: alice.uuid });
    await expect(
      h.services.objects.get(alice.uuid, rec.uuid, { type: 'fax', notFound: 'wrong-fax' }),
    ).rejects.toMatchObject({ status: 'wrong-fax' });
    expect(
      (await h.services.objects.get(alice.uuid, rec.uuid, { type: 'recording', need: 'write' })).type,
    ).toBe('recording');
  });
});

describe('ObjectService.modify, moveToTrash, purge (spec 7.6.2, 7.6.3)', () => {
  it('modify merges data, updates description and publishes object_modify with the acting user', async () => {
    const obj = await h.services.objects.create({
      type: 'fax',
      owner: alice.uuid,
      description: 'old',
      data: { page_count: 1, status: 'convert' },
    });
    const updated = await h.services.objects.modify(
      obj,
      { description: 'new', data: { status: 'ok', page_count: undefined } },
      { actor: alice.uuid },
    );
    expect(updated.description).toBe('new');
    expect(updated.data).toEqual({ status: 'ok' });
    const ev = (await eventsOf(alice.sid, 'object_modify')).filter((e) => e['object'] === obj.uuid);
    expect(ev).toEqual([
      {
        id: expect.any(Number),
        event: 'object_modify',
        time: expect.any(Number),
        object: obj.uuid,
        type: 'fax',
        owner: alice.uuid,
        user: alice.uuid,
        description: 'new',
      },
    ]);
    await h.services.objects.modify(updated, { sizeBytes: 10 }, { event: false });
    expect((await eventsOf(alice.sid, 'object_modify')).filter((e) => e['object'] === obj.uuid)).toHaveLength(
      1,
    );
  });

  it('moveToTrash attaches tag_trash and publishes object_delete without purge; a second call changes nothing', async () => {
    const sys = await systemTags(alice);
    const obj = await h.services.objects.create({ type: 'fax', owner: alice.uuid, description: 'bye' });
    await h.services.objects.moveToTrash(obj, alice.uuid);
    const trashed = (await h.services.objects.find(alice.uuid, obj.uuid))!;
    expect(trashed.trashed).toBe(true);
    expect(trashed.tags).toContain(sys.tag_trash);
    await h.services.objects.moveToTrash(trashed, alice.uuid);
    const ev = (await eventsOf(alice.sid, 'object_delete')).filter((e) => e['object'] === obj.uuid);
    expect(ev).toEqual([
      {
        id: expect.any(Number),
        event: 'object_delete',
        time: expect.any(Number),
        object: obj.uuid,
        type: 'fax',
        owner: alice.uuid,
        user: alice.uuid,
        description: 'bye',
      },
    ]);
  });

  it('purge deletes the object with its metadata, runs the type hook and publishes object_delete with purge', async () => {
    const obj = await h.services.objects.create({ type: 'testpurge', owner: alice.uuid });
    await h.services.metadata.setObject(alice.uuid, obj.uuid, { update: { 'com.example.key': 1 } });
    await h.services.objects.purge(obj, alice.uuid);
    expect(purged).toContain(obj.uuid);
    expect(await h.services.objects.find(alice.uuid, obj.uuid)).toBeUndefined();
    const rows = await h.services.db
      .selectFrom('object_metadata')
      .selectAll()
      .where('object_uuid', '=', obj.uuid)
      .execute();
    expect(rows).toEqual([]);
    const ev = (await eventsOf(alice.sid, 'object_delete')).filter((e) => e['object'] === obj.uuid);
    expect(ev).toEqual([
      {
        id: expect.any(Number),
        event: 'object_delete',
        time: expect.any(Number),
        object: obj.uuid,
        type: 'testpurge',
        owner: alice.uuid,
        user: alice.uuid,
        purge: true,
      },
    ]);
  });

  it('a failing purge hook does not stop the purge, and a type registers only once', async () => {
    const obj = await h.services.objects.create({
      type: 'testpurge',
      owner: alice.uuid,
      data: { failPurge: true },
    });
    await h.services.objects.purge(obj);
    expect(purged).toContain(obj.uuid);
    expect(await h.services.objects.find(alice.uuid, obj.uuid)).toBeUndefined();
    expect(() => h.services.objects.registerType('testpurge', {})).toThrow(/already registered/);
  });

  it('deleteAllOfUser purges every object of that user only, running hooks, without events', async () => {
    const u = await h.user();
    const a = await h.services.objects.create({ type: 'testpurge', owner: u.uuid });
    const b = await h.services.objects.create({ type: 'fax', owner: u.uuid });
    await h.services.objects.moveToTrash(b);
    const keep = await h.services.objects.create({ type: 'fax', owner: alice.uuid });
    const before = (await eventsOf(u.sid, 'object_delete')).length;
    await h.services.objects.deleteAllOfUser(u.uuid);
    expect(purged).toContain(a.uuid);
    expect(await h.services.objects.find(u.uuid, a.uuid)).toBeUndefined();
    expect(await h.services.objects.find(u.uuid, b.uuid)).toBeUndefined();
    expect(await h.services.objects.find(alice.uuid, keep.uuid)).toBeDefined();
    expect((await eventsOf(u.sid, 'object_delete')).length).toBe(before);
  });
});

describe('GET /api/tag/(uuid)/object (spec 3.10)', () => {
  let u: TestUser;
  let sys: Awaited<ReturnType<typeof systemTags>>;
  /** Ten objects, one every 10 seconds from T0. */
  const T0 = 1_600_000_000;
  let objs: ObjectRecord[];

  beforeAll(async () => {
    u = await h.user();
    sys = await systemTags(u);
    objs = [];
    for (let i = 0; i < 12; i++) objs.push(await objectAt(u, T0 + i * 10, { description: `object ${i}` }));
  });

  it('lists in the shape of the spec example: type, owner, time, tag, description and the type fields', async () => {
    const v = await h.user();
    const vs = await systemTags(v);
    const rec = await objectAt(v, 1_300_000_000, {
      type: 'recording',
      description: 'Ein Anruf von Herrn Mueller',
      data: { from: '+492421848484', to: '+492216698123' },
    });
    const contact = await objectAt(v, 1_300_000_001, {
      type: 'contact',
      data: { firstname: 'Dirk', lastname: 'Mueller' },
    });
    const conf = await objectAt(v, 1_300_000_002, {
      type: 'conference',
      description: 'Unser t\u00e4gliches Kaffeekr\u00e4nzchen',
      data: { active: true, pin: '4711' },
    });
    const res = await list(v, vs.tag_all);
    expect(res).toEqual({
      status: 'ok',
      object: {
        [rec.uuid]: {
          type: 'recording',
          owner: v.uuid,
          time: 1_300_000_000,
          tag: [vs.tag_all],
          description: 'Ein Anruf von Herrn Mueller',
          from: '+492421848484',
          to: '+492216698123',
        },
        [contact.uuid]: {
          type: 'contact',
          owner: v.uuid,
          time: 1_300_000_001,
          tag: [vs.tag_all],
          firstname: 'Dirk',
          lastname: 'Mueller',
        },
        [conf.uuid]: {
          type: 'conference',
          owner: v.uuid,
          time: 1_300_000_002,
          tag: [vs.tag_all],
          description: 'Unser tägliches Kaffeekränzchen',
          active: true,
          pin: '4711',
        },
      },
    });
  });

  it('returns 10 objects by default in ascending order, keys in that order', async () => {
    expect(await listedIds(u, sys.tag_all)).toEqual(objs.slice(0, 10).map((o) => o.uuid));
    expect(await listedIds(u, sys.tag_all, { order: 'asc', count: '500' })).toEqual(objs.map((o) => o.uuid));
  });

  it('returns descending order with count', async () => {
    expect(await listedIds(u, sys.tag_all, { order: 'desc', count: '3' })).toEqual(
      [objs[11], objs[10], objs[9]].map((o) => o!.uuid),
    );
  });

  it('pages with start (exclusive) in both orders, start overriding from (asc) or to (desc)', async () => {
    const page1 = await listedIds(u, sys.tag_all, { count: '5' });
    const page2 = await listedIds(u, sys.tag_all, { count: '5', start: page1[4]! });
    const page3 = await listedIds(u, sys.tag_all, { count: '5', start: page2[4]! });
    expect([...page1, ...page2, ...page3]).toEqual(objs.map((o) => o.uuid));
    const desc = await listedIds(u, sys.tag_all, { order: 'desc', count: '4', start: objs[6]!.uuid });
    expect(desc).toEqual([objs[5], objs[4], objs[3], objs[2]].map((o) => o!.uuid));
    // start overrides from in asc order ...
    expect(
      await listedIds(u, sys.tag_all, { count: '2', start: objs[1]!.uuid, from: String(T0 + 100) }),
    ).toEqual([objs[2]!.uuid, objs[3]!.uuid]);
    // ... and to in desc order, while the other bound still applies.
    expect(
      await listedIds(u, sys.tag_all, {
        order: 'desc',
        start: objs[5]!.uuid,
        to: String(T0 + 1000),
        from: String(T0 + 30),
      }),
    ).toEqual([objs[4]!.uuid, objs[3]!.uuid]);
  });

  it('limits by from and to, both inclusive, in seconds', async () => {
    expect(await listedIds(u, sys.tag_all, { from: String(T0 + 20), to: String(T0 + 40) })).toEqual(
      [objs[2], objs[3], objs[4]].map((o) => o!.uuid),
    );
    expect(
      await listedIds(u, sys.tag_all, { from: String(T0 + 21), to: String(T0 + 49), order: 'desc' }),
    ).toEqual([objs[4], objs[3]].map((o) => o!.uuid));
    expect(await listedIds(u, sys.tag_all, { to: String(T0 - 1) })).toEqual([]);
  });

  it('refuses bad paging parameters with wrong-syntax', async () => {
    const queries: Array<Record<string, string>> = [
      { count: '0' },
      { count: '501' },
      { count: 'ten' },
      { order: 'up' },
      { from: '20', to: '10' },
      { from: '-1' },
      { to: '1.5' },
      { start: 'nope' },
      { start: '6ba7b810-9dad-41d1-80b4-00c04fd430c8' },
    ];
    for (const query of queries) {
      expect((await list(u, sys.tag_all, query)).status, JSON.stringify(query)).toBe('wrong-syntax');
    }
  });

  it('filters by type and refuses unknown types', async () => {
    const v = await h.user();
    const vs = await systemTags(v);
    const fax = await h.services.objects.create({ type: 'fax', owner: v.uuid });
    await h.services.objects.create({ type: 'recording', owner: v.uuid });
    expect(await listedIds(v, vs.tag_all, { filter: 'fax' })).toEqual([fax.uuid]);
    expect(await listedIds(v, vs.tag_all, { filter: 'sensor' })).toEqual([]);
    expect((await list(v, vs.tag_all, { filter: 'spaceship' })).status).toBe('wrong-syntax');
  });

  it('ANDs the extra tags of the tag parameter', async () => {
    const red = await newTag(u, 'red');
    const blue = await newTag(u, 'blue');
    expect((await tagObject(u, objs[0]!.uuid, { add: [red, blue] })).status).toBe('ok');
    expect((await tagObject(u, objs[1]!.uuid, { add: [red] })).status).toBe('ok');
    expect((await tagObject(u, objs[2]!.uuid, { add: [blue] })).status).toBe('ok');
    expect(await listedIds(u, red)).toEqual([objs[0]!.uuid, objs[1]!.uuid]);
    expect(await listedIds(u, sys.tag_all, { tag: red })).toEqual([objs[0]!.uuid, objs[1]!.uuid]);
    expect(await listedIds(u, sys.tag_all, { tag: `${red},${blue}` })).toEqual([objs[0]!.uuid]);
    expect(await listedIds(u, blue, { tag: red.toUpperCase() })).toEqual([objs[0]!.uuid]);
    expect(objs.filter((o) => o.uuid === objs[0]!.uuid)).toHaveLength(1);
  });

  it('answers wrong-tag for an unknown or foreign listed tag or extra tag', async () => {
    const bobs = await newTag(bob, 'bobs');
    const bobSys = await systemTags(bob);
    for (const tag of [bobs, bobSys.tag_all, '00000000-0000-1000-8000-000000000000']) {
      expect((await list(u, tag)).status).toBe('wrong-tag');
      expect((await list(u, sys.tag_all, { tag })).status).toBe('wrong-tag');
      expect((await list(u, sys.tag_all, { tag: `${sys.tag_inbox},${tag}` })).status).toBe('wrong-tag');
    }
    expect((await list(u, sys.tag_all, { tag: 'x' })).status).toBe('wrong-syntax');
    expect((await list(u, sys.tag_all, { tag: `${sys.tag_inbox},` })).status).toBe('wrong-syntax');
    expect((await list(u, 'not-a-uuid')).status).toBe('wrong-syntax');
  });

  it("never shows another user's objects", async () => {
    await h.services.objects.create({ type: 'fax', owner: bob.uuid, tags: [] });
    const ids = await listedIds(u, sys.tag_all, { count: '500' });
    expect(ids).toEqual(objs.map((o) => o.uuid));
  });

  it('searches words in description and search text, all required, case-insensitively', async () => {
    const v = await h.user();
    const vs = await systemTags(v);
    const a = await h.services.objects.create({
      type: 'fax',
      owner: v.uuid,
      description: 'Versicherungsvertrag Hausrat',
      searchText: '+492216698123 Müller GmbH',
    });
    const b = await h.services.objects.create({
      type: 'fax',
      owner: v.uuid,
      description: 'Hausrat Rechnung',
    });
    const search = (s: string) => listedIds(v, vs.tag_all, { search: s });
    expect(await search('hausrat')).toEqual([a.uuid, b.uuid]);
    expect(await search('HAUSRAT versicherung')).toEqual([a.uuid]);
    expect(await search('  müller   hausrat ')).toEqual([a.uuid]);
    expect(await search('MÜLLER')).toEqual([a.uuid]);
    expect(await search('6698123')).toEqual([a.uuid]);
    expect(await search('hausrat nothere')).toEqual([]);
    expect(await search('')).toEqual([a.uuid, b.uuid]);
  });

  it('treats LIKE wildcards in the search literally', async () => {
    const v = await h.user();
    const vs = await systemTags(v);
    const pct = await h.services.objects.create({ type: 'fax', owner: v.uuid, description: '100% sure' });
    const under = await h.services.objects.create({ type: 'fax', owner: v.uuid, description: 'snake_case' });
    const slash = await h.services.objects.create({ type: 'fax', owner: v.uuid, description: 'C:\\temp' });
    await h.services.objects.create({ type: 'fax', owner: v.uuid, description: 'plain words' });
    const search = (s: string) => listedIds(v, vs.tag_all, { search: s });
    expect(await search('%')).toEqual([pct.uuid]);
    expect(await search('_')).toEqual([under.uuid]);
    expect(await search('e_c')).toEqual([under.uuid]);
    expect(await search('\\')).toEqual([slash.uuid]);
    expect(await search('\\t')).toEqual([slash.uuid]);
    expect((await list(v, vs.tag_all, { search: 'a\u0000' })).status).toBe('wrong-syntax');
    expect((await list(v, vs.tag_all, { search: 'x'.repeat(501) })).status).toBe('wrong-syntax');
  });

  it('hides trashed objects except when listing the trash (or asking for it as an extra tag)', async () => {
    const v = await h.user();
    const vs = await systemTags(v);
    const keep = await h.services.objects.create({ type: 'fax', owner: v.uuid, tags: ['tag_inbox'] });
    const gone = await h.services.objects.create({ type: 'fax', owner: v.uuid, tags: ['tag_inbox'] });
    await h.services.objects.moveToTrash(gone);
    expect(await listedIds(v, vs.tag_all)).toEqual([keep.uuid]);
    expect(await listedIds(v, vs.tag_inbox)).toEqual([keep.uuid]);
    expect(await listedIds(v, vs.tag_trash)).toEqual([gone.uuid]);
    expect(await listedIds(v, vs.tag_inbox, { tag: vs.tag_trash })).toEqual([gone.uuid]);
    const entry = (await list(v, vs.tag_trash))['object'][gone.uuid];
    expect(entry.tag).toEqual(expect.arrayContaining([vs.tag_all, vs.tag_inbox, vs.tag_trash]));
  });
});

describe('POST /api/object/(uuid)/tag (spec 3.12)', () => {
  let u: TestUser;
  let sys: Awaited<ReturnType<typeof systemTags>>;
  beforeAll(async () => {
    u = await h.user();
    sys = await systemTags(u);
  });

  it('attaches and detaches tags and publishes object_tag (spec 7.6.5)', async () => {
    const t1 = await newTag(u, 'one');
    const t2 = await newTag(u, 'two');
    const obj = await h.services.objects.create({
      type: 'contact',
      owner: u.uuid,
      description: 'Hans Mustermann',
    });
    expect(await tagObject(u, obj.uuid, { add: [t1, t2, sys.tag_inbox] })).toEqual({ status: 'ok' });
    let now = (await h.services.objects.find(u.uuid, obj.uuid))!;
    expect(new Set(now.tags)).toEqual(new Set([sys.tag_all, sys.tag_inbox, t1, t2]));
    expect(await tagObject(u, obj.uuid, { delete: [t1.toUpperCase()] })).toEqual({ status: 'ok' });
    now = (await h.services.objects.find(u.uuid, obj.uuid))!;
    expect(now.tags).not.toContain(t1);
    const ev = (await eventsOf(u.sid, 'object_tag')).filter((e) => e['object'] === obj.uuid);
    expect(ev).toHaveLength(2);
    expect(ev[1]).toEqual({
      id: expect.any(Number),
      event: 'object_tag',
      time: expect.any(Number),
      object: obj.uuid,
      type: 'contact',
      owner: u.uuid,
      user: u.uuid,
      description: 'Hans Mustermann',
      tag: now.tags,
      tag_add: [],
      tag_delete: [t1],
    });
    expect(ev[0]!['tag_add']).toEqual([t1, t2, sys.tag_inbox]);
    expect((await eventsOf(bob.sid, 'object_tag')).some((e) => e['object'] === obj.uuid)).toBe(false);
  });

  it('answers wrong-object for unknown objects and objects of other users', async () => {
    const bobs = await h.services.objects.create({ type: 'fax', owner: bob.uuid });
    for (const uuid of [bobs.uuid, v1()]) {
      expect((await tagObject(u, uuid, { add: [sys.tag_inbox] })).status).toBe('wrong-object');
    }
    expect((await h.services.objects.find(bob.uuid, bobs.uuid))!.tags).toHaveLength(1);
    expect((await tagObject(u, 'not-a-uuid', { add: [] })).status).toBe('wrong-syntax');
  });

  it('answers wrong-tag for unknown tags and tags of other users, changing nothing', async () => {
    const obj = await h.services.objects.create({ type: 'fax', owner: u.uuid });
    const mine = await newTag(u, 'mine');
    const bobs = await newTag(bob, 'bobs');
    const bobSys = await systemTags(bob);
    for (const bad of [bobs, bobSys.share_read, '00000000-0000-1000-8000-000000000000']) {
      expect((await tagObject(u, obj.uuid, { add: [mine, bad] })).status).toBe('wrong-tag');
      expect((await tagObject(u, obj.uuid, { delete: [bad] })).status).toBe('wrong-tag');
    }
    expect((await h.services.objects.find(u.uuid, obj.uuid))!.tags).toEqual([sys.tag_all]);
  });

  it('answers already-tag and no-tag, atomically', async () => {
    const obj = await h.services.objects.create({ type: 'fax', owner: u.uuid });
    const a = await newTag(u, 'a');
    const b = await newTag(u, 'b');
    expect((await tagObject(u, obj.uuid, { add: [sys.tag_all] })).status).toBe('already-tag');
    expect((await tagObject(u, obj.uuid, { add: [a, sys.tag_all] })).status).toBe('already-tag');
    expect((await tagObject(u, obj.uuid, { add: [a], delete: [b] })).status).toBe('no-tag');
    expect((await h.services.objects.find(u.uuid, obj.uuid))!.tags).toEqual([sys.tag_all]);
    expect((await tagObject(u, obj.uuid, { add: [a] })).status).toBe('ok');
    expect((await tagObject(u, obj.uuid, { add: [a] })).status).toBe('already-tag');
    expect((await tagObject(u, obj.uuid, { add: [b], delete: [a] })).status).toBe('ok');
    expect((await tagObject(u, obj.uuid, { delete: [a] })).status).toBe('no-tag');
  });

  it('refuses removing tag_all (access-denied)', async () => {
    const obj = await h.services.objects.create({ type: 'fax', owner: u.uuid });
    expect((await tagObject(u, obj.uuid, { delete: [sys.tag_all] })).status).toBe('access-denied');
    expect((await h.services.objects.find(u.uuid, obj.uuid))!.tags).toEqual([sys.tag_all]);
  });

  it('in the trash only allows removing tag_trash, which undeletes', async () => {
    const obj = await h.services.objects.create({ type: 'fax', owner: u.uuid });
    const t = await newTag(u, 't');
    expect((await tagObject(u, obj.uuid, { add: [sys.tag_trash, t] })).status).toBe('ok');
    expect(await listedIds(u, sys.tag_trash)).toContain(obj.uuid);
    for (const body of [
      { add: [sys.tag_inbox] },
      { delete: [t] },
      { delete: [sys.tag_trash, t] },
      { add: [sys.tag_inbox], delete: [sys.tag_trash] },
      { delete: [sys.tag_all] },
    ]) {
      expect((await tagObject(u, obj.uuid, body)).status, JSON.stringify(body)).toBe('access-denied');
    }
    expect((await tagObject(u, obj.uuid, { delete: [sys.tag_trash] })).status).toBe('ok');
    const back = (await h.services.objects.find(u.uuid, obj.uuid))!;
    expect(back.trashed).toBe(false);
    expect(new Set(back.tags)).toEqual(new Set([sys.tag_all, t]));
    expect(await listedIds(u, sys.tag_all, { count: '500' })).toContain(obj.uuid);
  });

  it('checks the body syntax', async () => {
    const obj = await h.services.objects.create({ type: 'fax', owner: u.uuid });
    for (const body of [
      { add: 'x' },
      { add: ['x'] },
      { delete: [1] },
      { add: [sys.tag_inbox], delete: [sys.tag_inbox] },
      [],
    ]) {
      expect((await tagObject(u, obj.uuid, body)).status, JSON.stringify(body)).toBe('wrong-syntax');
    }
    expect((await tagObject(u, obj.uuid, {})).status).toBe('ok');
    expect((await tagObject(u, obj.uuid, { add: [], delete: [] })).status).toBe('ok');
    expect((await eventsOf(u.sid, 'object_tag')).some((e) => e['object'] === obj.uuid)).toBe(false);
  });
});

describe('DELETE /api/trash (spec 3.11)', () => {
  it('purges only the trashed objects of the user, with object_delete per object, then trash_purge', async () => {
    const u = await h.user();
    const keep = await h.services.objects.create({ type: 'fax', owner: u.uuid });
    const t1 = await h.services.objects.create({ type: 'testpurge', owner: u.uuid, description: 'files' });
    const t2 = await h.services.objects.create({ type: 'fax', owner: u.uuid });
    await h.services.objects.moveToTrash(t1, u.uuid);
    await h.services.objects.moveToTrash(t2, u.uuid);
    const bobTrashed = await h.services.objects.create({ type: 'fax', owner: bob.uuid });
    await h.services.objects.moveToTrash(bobTrashed);
    const next = await h.services.nextEventId(u.sid);

    expect(await h.call('DELETE', '/api/trash', { sid: u.sid })).toEqual({ status: 'ok' });

    expect(await h.services.objects.find(u.uuid, t1.uuid)).toBeUndefined();
    expect(await h.services.objects.find(u.uuid, t2.uuid)).toBeUndefined();
    expect(await h.services.objects.find(u.uuid, keep.uuid)).toBeDefined();
    expect(await h.services.objects.find(bob.uuid, bobTrashed.uuid)).toBeDefined();
    expect(purged).toContain(t1.uuid);
    const sys = await systemTags(u);
    expect(await listedIds(u, sys.tag_trash)).toEqual([]);

    const ev = (await h.services.eventLog.read(u.sid, next)).map(({ id: _i, time: _t, ...rest }) => rest);
    expect(ev).toEqual([
      {
        event: 'object_delete',
        object: t1.uuid,
        type: 'testpurge',
        owner: u.uuid,
        user: u.uuid,
        description: 'files',
        purge: true,
      },
      { event: 'object_delete', object: t2.uuid, type: 'fax', owner: u.uuid, user: u.uuid, purge: true },
      { event: 'trash_purge' },
    ]);
  });

  it('answers ok on an empty trash and still sends trash_purge', async () => {
    const u = await h.user();
    expect(await h.call('DELETE', '/api/trash', { sid: u.sid })).toEqual({ status: 'ok' });
    expect(await eventsOf(u.sid, 'trash_purge')).toHaveLength(1);
  });
});

describe('authorization of the object calls', () => {
  it('answers no-session and no-auth', async () => {
    const obj = await h.services.objects.create({ type: 'fax', owner: alice.uuid });
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const partner = await h.partner();
    const calls: Array<[string, string, unknown?]> = [
      ['POST', `/api/object/${obj.uuid}/tag`, { add: [] }],
      ['GET', `/api/object/${obj.uuid}/metadata`],
      ['POST', `/api/object/${obj.uuid}/metadata`, { update: {} }],
    ];
    for (const [method, url, body] of calls) {
      expect((await h.call(method as 'GET', url, { body })).status).toBe('no-session');
      expect((await h.call(method as 'GET', url, { body, sid: anon })).status).toBe('no-auth');
      expect((await h.call(method as 'GET', url, { body, sid: partner.sid })).status).toBe('no-auth');
      expect((await h.call(method as 'GET', url, { body, sid: bob.sid })).status).toBe('wrong-object');
      expect((await h.call(method as 'GET', url, { body, sid: alice.sid })).status).toBe('ok');
    }
  });
});
