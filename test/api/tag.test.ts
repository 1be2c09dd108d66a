import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
  alice = await h.user();
  bob = await h.user();
});
afterAll(async () => {
  await h?.close();
});

const systemTags = async (u: TestUser) => (await h.services.users.byId(u.uuid))!.system_tags;
const eventsOf = async (sid: string, name: string) =>
  (await h.services.eventLog.read(sid, 0)).filter((e) => e.event === name);
const newTag = async (u: TestUser, body: Record<string, unknown> = { label: 'Project X' }) => {
  const res = await h.call('POST', '/api/tag', { sid: u.sid, body });
  expect(res.status).toBe('ok');
  return res['uuid'] as string;
};

/** Spec example users that have no link with anybody here. */
const STRANGERS = {
  '1de1227a-4f34-11e0-ab6e-0024e8f90cc1': 1,
  '1d333333-4f34-11e0-ab6e-0024e8f90cc1': 2,
  '1d444444-4f34-11e0-ab6e-0024e8f90cc1': 3,
};

describe('POST /api/tag (spec 3.10)', () => {
  it('refuses the spec example: its policy names users without a link (wrong-user)', async () => {
    const res = await h.call('POST', '/api/tag', {
      sid: alice.sid,
      body: { label: 'Project X', foreign_use: true, policy: STRANGERS },
    });
    expect(res.status).toBe('wrong-user');
    expect((await h.call('GET', '/api/tag', { sid: alice.sid })).tag).toEqual({});
  });

  it('creates a tag and answers its UUID; GET shows owner, label, foreign_use and the owner policy', async () => {
    const res = await h.call('POST', '/api/tag', {
      sid: alice.sid,
      body: { label: 'Project X', foreign_use: true },
    });
    expect(res).toEqual({ status: 'ok', uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await h.call('GET', `/api/tag/${res.uuid}`, { sid: alice.sid })).toEqual({
      status: 'ok',
      owner: alice.uuid,
      label: 'Project X',
      foreign_use: true,
      policy: { [alice.uuid]: 4 },
    });
  });

  it('defaults foreign_use to false and accepts the owner in the policy', async () => {
    const uuid = await newTag(alice, { label: 'mine', policy: { [alice.uuid]: 4 } });
    const tag = await h.call('GET', `/api/tag/${uuid}`, { sid: alice.sid });
    expect(tag.foreign_use).toBe(false);
    expect(tag.policy).toEqual({ [alice.uuid]: 4 });
  });

  it('refuses another existing user in the policy: users are not linked (wrong-user)', async () => {
    const res = await h.call('POST', '/api/tag', {
      sid: alice.sid,
      body: { label: 'shared', policy: { [bob.uuid]: 1 } },
    });
    expect(res.status).toBe('wrong-user');
  });

  it('checks every field', async () => {
    const post = (body: unknown) => h.call('POST', '/api/tag', { sid: alice.sid, body });
    expect((await post({})).status).toBe('missing-element');
    expect((await post({ foreign_use: true })).status).toBe('missing-element');
    expect((await post({ label: '' })).status).toBe('wrong-syntax');
    expect((await post({ label: 'x'.repeat(51) })).status).toBe('wrong-syntax');
    expect((await post({ label: 'a\nb' })).status).toBe('wrong-syntax');
    expect((await post({ label: 'a\u0000b' })).status).toBe('wrong-syntax');
    expect((await post({ label: 42 })).status).toBe('wrong-syntax');
    expect((await post({ label: 'ok', foreign_use: 'yes' })).status).toBe('wrong-syntax');
    expect((await post({ label: 'ok', policy: [] })).status).toBe('wrong-syntax');
    expect((await post({ label: 'ok', policy: { 'not-a-uuid': 1 } })).status).toBe('wrong-syntax');
    expect((await post({ label: 'ok', policy: { [alice.uuid]: 5 } })).status).toBe('wrong-syntax');
    expect((await post({ label: 'ok', policy: { [alice.uuid]: 0 } })).status).toBe('wrong-syntax');
    expect((await post({ label: 'ok', policy: { [alice.uuid]: '4' } })).status).toBe('wrong-syntax');
    expect((await post('not json{')).status).toBe('wrong-syntax');
    expect((await post({ label: 'x'.repeat(50) })).status).toBe('ok');
    expect((await post({ label: 'ünïcødé 😀' })).status).toBe('ok');
  });

  it('sends tag_new to the owner (spec 7.4.1) and nothing to other users', async () => {
    const sid2 = (
      await h.call('POST', '/api/session', { body: { username: alice.username, password: alice.password } })
    ).sid as string;
    const uuid = await newTag(alice, { label: 'myTag', foreign_use: true });
    for (const sid of [alice.sid, sid2]) {
      const ev = (await eventsOf(sid, 'tag_new')).find((e) => e['tag'] === uuid);
      expect(ev).toMatchObject({
        event: 'tag_new',
        tag: uuid,
        owner: alice.uuid,
        label: 'myTag',
        foreign_use: true,
        policy: { [alice.uuid]: 4 },
      });
    }
    expect((await eventsOf(bob.sid, 'tag_new')).some((e) => e['tag'] === uuid)).toBe(false);
  });
});

describe('GET /api/tag (spec 3.10)', () => {
  it("lists the user's own tags keyed by UUID, without system tags, share tags or other users' tags", async () => {
    const u = await h.user();
    expect(await h.call('GET', '/api/tag', { sid: u.sid })).toEqual({ status: 'ok', tag: {} });
    const a = await newTag(u, { label: 'private', foreign_use: true });
    const b = await newTag(u, { label: 'Q-loud Team' });
    await newTag(bob, { label: 'bobs' });
    const res = await h.call('GET', '/api/tag', { sid: u.sid });
    expect(res).toEqual({
      status: 'ok',
      tag: {
        [a]: { owner: u.uuid, label: 'private', foreign_use: true, policy: { [u.uuid]: 4 } },
        [b]: { owner: u.uuid, label: 'Q-loud Team', foreign_use: false, policy: { [u.uuid]: 4 } },
      },
    });
    const sys = Object.values(await systemTags(u));
    expect(Object.keys(res.tag).some((k) => sys.includes(k))).toBe(false);
  });
});

describe('GET /api/tag/(uuid) (spec 3.10)', () => {
  it('answers wrong-tag for unknown tags, other users tags, system tags and share tags', async () => {
    const bobs = await newTag(bob, { label: 'bobs' });
    const sys = await systemTags(alice);
    for (const uuid of [
      '00000000-0000-1000-8000-000000000000',
      bobs,
      sys.tag_all,
      sys.tag_trash,
      sys.tag_inbox,
      sys.share_read,
      sys.share_propagate,
    ]) {
      expect((await h.call('GET', `/api/tag/${uuid}`, { sid: alice.sid })).status, uuid).toBe('wrong-tag');
    }
    expect((await h.call('GET', `/api/tag/${bobs}`, { sid: bob.sid })).status).toBe('ok');
  });

  it('accepts upper-case UUIDs and refuses malformed ones', async () => {
    const uuid = await newTag(alice);
    expect((await h.call('GET', `/api/tag/${uuid.toUpperCase()}`, { sid: alice.sid })).label).toBe(
      'Project X',
    );
    expect((await h.call('GET', '/api/tag/not-a-uuid', { sid: alice.sid })).status).toBe('wrong-syntax');
  });
});

describe('POST /api/tag/(uuid) (spec 3.10)', () => {
  it('modifies label and foreign_use, each optional', async () => {
    const uuid = await newTag(alice, { label: 'old', foreign_use: true });
    expect(
      await h.call('POST', `/api/tag/${uuid}`, { sid: alice.sid, body: { label: 'Project X' } }),
    ).toEqual({
      status: 'ok',
    });
    expect(await h.call('GET', `/api/tag/${uuid}`, { sid: alice.sid })).toMatchObject({
      label: 'Project X',
      foreign_use: true,
    });
    await h.call('POST', `/api/tag/${uuid}`, { sid: alice.sid, body: { foreign_use: false } });
    expect(await h.call('GET', `/api/tag/${uuid}`, { sid: alice.sid })).toMatchObject({
      label: 'Project X',
      foreign_use: false,
    });
    expect((await h.call('POST', `/api/tag/${uuid}`, { sid: alice.sid, body: {} })).status).toBe('ok');
  });

  it('refuses the spec example: its policy update names unlinked users (wrong-user), changing nothing', async () => {
    const uuid = await newTag(alice, { label: 'before' });
    const res = await h.call('POST', `/api/tag/${uuid}`, {
      sid: alice.sid,
      body: {
        label: 'Project X',
        foreign_use: false,
        policy: {
          update: { '1de1227a-4f34-11e0-ab6e-0024e8f90cc1': 3, '1d333333-4f34-11e0-ab6e-0024e8f90cc1': 2 },
          delete: ['1d444444-4f34-11e0-ab6e-0024e8f90cc1'],
        },
      },
    });
    expect(res.status).toBe('wrong-user');
    expect((await h.call('GET', `/api/tag/${uuid}`, { sid: alice.sid })).label).toBe('before');
    const del = await h.call('POST', `/api/tag/${uuid}`, {
      sid: alice.sid,
      body: { policy: { delete: [bob.uuid] } },
    });
    expect(del.status).toBe('wrong-user');
  });

  it('answers wrong-tag for other users tags and system tags, and checks the syntax', async () => {
    const bobs = await newTag(bob, { label: 'bobs' });
    const sys = await systemTags(alice);
    for (const uuid of [bobs, sys.tag_all, sys.share_write, '00000000-0000-1000-8000-000000000000']) {
      const res = await h.call('POST', `/api/tag/${uuid}`, { sid: alice.sid, body: { label: 'hijack' } });
      expect(res.status).toBe('wrong-tag');
    }
    expect((await h.call('GET', `/api/tag/${bobs}`, { sid: bob.sid })).label).toBe('bobs');
    const mine = await newTag(alice);
    const post = (body: unknown) => h.call('POST', `/api/tag/${mine}`, { sid: alice.sid, body });
    expect((await post({ label: '' })).status).toBe('wrong-syntax');
    expect((await post({ foreign_use: 1 })).status).toBe('wrong-syntax');
    expect((await post({ policy: { update: { x: 1 } } })).status).toBe('wrong-syntax');
    expect((await post({ policy: { delete: ['x'] } })).status).toBe('wrong-syntax');
  });

  it('sends tag_modify with the new state to the owner (spec 7.4.2)', async () => {
    const uuid = await newTag(alice, { label: 'a' });
    await h.call('POST', `/api/tag/${uuid}`, { sid: alice.sid, body: { label: 'b', foreign_use: true } });
    const ev = (await eventsOf(alice.sid, 'tag_modify')).filter((e) => e['tag'] === uuid);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({
      tag: uuid,
      owner: alice.uuid,
      label: 'b',
      foreign_use: true,
      policy: { [alice.uuid]: 4 },
    });
  });
});

describe('DELETE /api/tag/(uuid) (spec 3.10)', () => {
  it('deletes the tag, detaches it from objects and sends tag_delete', async () => {
    const uuid = await newTag(alice, { label: 'gone' });
    const obj = await h.services.objects.create({ type: 'xobject', owner: alice.uuid, tags: [uuid] });
    expect(obj.tags).toContain(uuid);
    expect(await h.call('DELETE', `/api/tag/${uuid}`, { sid: alice.sid })).toEqual({ status: 'ok' });
    expect((await h.call('GET', `/api/tag/${uuid}`, { sid: alice.sid })).status).toBe('wrong-tag');
    expect((await h.call('DELETE', `/api/tag/${uuid}`, { sid: alice.sid })).status).toBe('wrong-tag');
    expect((await h.services.objects.find(alice.uuid, obj.uuid))!.tags).not.toContain(uuid);
    expect((await eventsOf(alice.sid, 'tag_delete')).filter((e) => e['tag'] === uuid)).toEqual([
      expect.objectContaining({ event: 'tag_delete', tag: uuid }),
    ]);
  });

  it('answers wrong-tag for other users tags and system tags, which stay', async () => {
    const bobs = await newTag(bob, { label: 'bobs' });
    const sys = await systemTags(alice);
    for (const uuid of [bobs, sys.tag_all, sys.tag_trash, sys.share_read]) {
      expect((await h.call('DELETE', `/api/tag/${uuid}`, { sid: alice.sid })).status).toBe('wrong-tag');
    }
    expect((await h.call('GET', `/api/tag/${bobs}`, { sid: bob.sid })).status).toBe('ok');
    expect((await h.call('GET', `/api/tag/${sys.tag_all}/object`, { sid: alice.sid })).status).toBe('ok');
  });
});

describe('authorization of the tag calls', () => {
  const calls = (uuid: string): Array<[string, string, unknown?]> => [
    ['GET', '/api/tag'],
    ['POST', '/api/tag', { label: 'x' }],
    ['GET', `/api/tag/${uuid}`],
    ['POST', `/api/tag/${uuid}`, { label: 'x' }],
    ['DELETE', `/api/tag/${uuid}`],
    ['GET', `/api/tag/${uuid}/object`],
    ['DELETE', '/api/trash'],
  ];

  it('answers no-session without a valid session', async () => {
    const uuid = await newTag(alice);
    for (const [method, url, body] of calls(uuid)) {
      expect((await h.call(method as 'GET', url, { body })).status, `${method} ${url}`).toBe('no-session');
      expect((await h.call(method as 'GET', url, { body, sid: 'nosuchsession' })).status).toBe('no-session');
    }
  });

  it('answers no-auth for unauthenticated and partner sessions', async () => {
    const uuid = await newTag(alice);
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const partner = await h.partner();
    for (const sid of [anon, partner.sid]) {
      for (const [method, url, body] of calls(uuid)) {
        expect((await h.call(method as 'GET', url, { body, sid })).status, `${method} ${url}`).toBe(
          'no-auth',
        );
      }
    }
    expect((await h.call('GET', `/api/tag/${uuid}`, { sid: alice.sid })).status).toBe('ok');
  });
});
