import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
});
afterAll(async () => {
  await h?.close();
});

const G = '/api/partner/usergroup';
type Partner = Awaited<ReturnType<Harness['partner']>>;

const group = async (p: Partner, body: Record<string, unknown> = {}): Promise<string> => {
  const res = await h.call('POST', G, { sid: p.sid, body });
  expect(res.status).toBe('ok');
  return res.group_uuid as string;
};
const users = async (p: Partner, n: number): Promise<string[]> => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await h.user({ partner: p.name })).uuid);
  return out;
};
const members = (p: Partner, g: string) => h.call('GET', `${G}/${g}/user`, { sid: p.sid });
const setMembers = (p: Partner, g: string, add: string[] = [], del: string[] = []) =>
  h.call('POST', `${G}/${g}/user`, { sid: p.sid, body: { users: { add, delete: del } } });
const userGroupField = async (uuid: string): Promise<unknown> =>
  (await h.services.users.byId(uuid))?.usergroup;
const events = (sid: string, next = 0) => h.call('GET', `/api/event?timeout=0&next=${next}`, { sid });

describe('POST/GET /api/partner/usergroup (spec 9.1.6)', () => {
  it("creates the spec's example and lists it; prefix only when set", async () => {
    const p = await h.partner();
    const a = await group(p, { description: 'Controlling', prefix: 7 });
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const b = await group(p);
    const c = await group(p, { description: 'Accounting', prefix: 0 });
    expect(await h.call('GET', G, { sid: p.sid })).toEqual({
      status: 'ok',
      usergroups: {
        [a]: { description: 'Controlling', prefix: 7 },
        [b]: { description: '' },
        [c]: { description: 'Accounting' },
      },
    });
    // Another partner sees none of them.
    const other = await h.partner();
    expect(await h.call('GET', G, { sid: other.sid })).toEqual({ status: 'ok', usergroups: {} });
  });

  it("updates with the spec's example; prefix 0 removes the prefix; absent fields stay", async () => {
    const p = await h.partner();
    const g = await group(p, { description: 'Controlling' });
    expect(
      await h.call('POST', `${G}/${g}`, { sid: p.sid, body: { description: 'Accounting', prefix: 7 } }),
    ).toEqual({
      status: 'ok',
    });
    expect((await h.call('GET', G, { sid: p.sid })).usergroups[g]).toEqual({
      description: 'Accounting',
      prefix: 7,
    });
    await h.call('POST', `${G}/${g}`, { sid: p.sid, body: { prefix: '3' } });
    expect((await h.call('GET', G, { sid: p.sid })).usergroups[g]).toEqual({
      description: 'Accounting',
      prefix: 3,
    });
    await h.call('POST', `${G}/${g}`, { sid: p.sid, body: { prefix: 0 } });
    expect((await h.call('GET', G, { sid: p.sid })).usergroups[g]).toEqual({ description: 'Accounting' });
    await h.call('POST', `${G}/${g}`, { sid: p.sid, body: {} });
    expect((await h.call('GET', G, { sid: p.sid })).usergroups[g]).toEqual({ description: 'Accounting' });
  });

  it('answers wrong-syntax for bad description and prefix values', async () => {
    const p = await h.partner();
    const g = await group(p, { description: 'Keep', prefix: 5 });
    const bad: Array<Record<string, unknown>> = [
      { prefix: 10 },
      { prefix: -1 },
      { prefix: 1.5 },
      { prefix: '12' },
      { prefix: 'a' },
      { prefix: null },
      { description: 'x'.repeat(201) },
      { description: 5 },
    ];
    for (const body of bad) {
      expect((await h.call('POST', G, { sid: p.sid, body })).status, JSON.stringify(body)).toBe(
        'wrong-syntax',
      );
      expect((await h.call('POST', `${G}/${g}`, { sid: p.sid, body })).status).toBe('wrong-syntax');
    }
    expect(Object.keys((await h.call('GET', G, { sid: p.sid })).usergroups)).toEqual([g]);
    expect((await h.call('GET', G, { sid: p.sid })).usergroups[g]).toEqual({
      description: 'Keep',
      prefix: 5,
    });
    expect((await h.call('POST', G, { sid: p.sid, body: { description: 'x'.repeat(200) } })).status).toBe(
      'ok',
    );
  });
});

describe('usergroup members (spec 9.1.6 .../user)', () => {
  it('adds and deletes users, lists them in the order added, and mirrors the group name to the user', async () => {
    const p = await h.partner();
    const g = await group(p, { description: 'Controlling' });
    const [a, b, c, d] = await users(p, 4);
    expect(await setMembers(p, g, [a!, b!, c!])).toEqual({ status: 'ok' });
    expect(await members(p, g)).toEqual({ status: 'ok', usergroup: { users: [a, b, c] } });
    await setMembers(p, g, [d!], [b!]);
    expect((await members(p, g)).usergroup.users).toEqual([a, c, d]);
    expect(await h.services.policy.usergroups.groupOfUser(a!)).toBe(g);
    expect(await h.services.policy.usergroups.groupOfUser(b!)).toBeNull();

    // spec 3.5 / 9.1.1: `usergroup` is present only for grouped users.
    expect(await userGroupField(a!)).toBe('Controlling');
    expect(await userGroupField(b!)).toBeNull();
    expect((await h.call('GET', `/api/partner/user/${a}`, { sid: p.sid })).user.usergroup).toBe(
      'Controlling',
    );
    expect((await h.call('GET', `/api/partner/user/${b}`, { sid: p.sid })).user).not.toHaveProperty(
      'usergroup',
    );

    // Renaming the group renames it for its users.
    await h.call('POST', `${G}/${g}`, { sid: p.sid, body: { description: 'Accounting' } });
    expect((await h.call('GET', `/api/partner/user/${c}`, { sid: p.sid })).user.usergroup).toBe('Accounting');
    expect(await userGroupField(b!)).toBeNull();
  });

  it('shows the usergroup in GET /api/user and tells the user with user_modify', async () => {
    const p = await h.partner();
    const g = await group(p, { description: 'Controlling' });
    const u = await h.user({ partner: p.name });
    await setMembers(p, g, [u.uuid]);
    expect((await h.call('GET', '/api/user', { sid: u.sid })).user.usergroup).toBe('Controlling');
    expect((await events(u.sid)).event.map((e: { event: string }) => e.event)).toEqual(['user_modify']);
    await h.call('POST', `${G}/${g}`, { sid: p.sid, body: { description: 'Sales' } });
    expect((await h.call('GET', '/api/user', { sid: u.sid })).user.usergroup).toBe('Sales');
    await setMembers(p, g, [], [u.uuid]);
    expect((await h.call('GET', '/api/user', { sid: u.sid })).user).not.toHaveProperty('usergroup');
    // Rename and removal: one event each.
    expect((await events(u.sid, 1)).event.map((e: { event: string }) => e.event)).toEqual([
      'user_modify',
      'user_modify',
    ]);
    // Nothing changes, nothing is sent.
    await setMembers(p, g, [], [u.uuid]);
    await h.call('POST', `${G}/${g}`, { sid: p.sid, body: { prefix: 4 } });
    expect((await events(u.sid, 3)).status).toBe('timeout');
  });

  it('answers already-grouped for a user in another group, and changes nothing', async () => {
    const p = await h.partner();
    const g1 = await group(p, { description: 'one' });
    const g2 = await group(p, { description: 'two' });
    const [a, b] = await users(p, 2);
    await setMembers(p, g1, [a!]);
    // Adding again to the same group is fine.
    expect((await setMembers(p, g1, [a!])).status).toBe('ok');
    const res = await setMembers(p, g2, [b!, a!]);
    expect(res.status).toBe('already-grouped');
    expect((await members(p, g2)).usergroup.users).toEqual([]);
    expect(await userGroupField(b!)).toBeNull();
    // After leaving g1, the user may join g2.
    await setMembers(p, g1, [], [a!]);
    expect((await setMembers(p, g2, [a!])).status).toBe('ok');
    expect(await userGroupField(a!)).toBe('two');
  });

  it('keeps one group per user under concurrent adds', async () => {
    const p = await h.partner();
    const groups = await Promise.all([1, 2, 3, 4].map((i) => group(p, { description: `g${i}` })));
    const [u] = await users(p, 1);
    const results = await Promise.all(groups.map((g) => setMembers(p, g, [u!])));
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'already-grouped')).toHaveLength(3);
    const winner = groups[results.findIndex((r) => r.status === 'ok')]!;
    expect(await h.services.policy.usergroups.groupOfUser(u!)).toBe(winner);
  });

  it('answers wrong-user for unknown, deleted and foreign users, and changes nothing', async () => {
    const p = await h.partner();
    const other = await h.partner();
    const g = await group(p);
    const [a, gone] = await users(p, 2);
    await h.call('POST', `/api/partner/user/${gone}`, { sid: p.sid, body: { deleted: true } });
    const foreign = (await h.user({ partner: other.name })).uuid;
    const plain = (await h.user()).uuid;
    for (const bad of [newId(), gone!, foreign, plain]) {
      expect((await setMembers(p, g, [a!, bad])).status).toBe('wrong-user');
      expect((await setMembers(p, g, [a!], [bad])).status).toBe('wrong-user');
    }
    expect((await members(p, g)).usergroup.users).toEqual([]);
    // Deleting a user that is not a member changes nothing.
    expect((await setMembers(p, g, [], [a!])).status).toBe('ok');
  });

  it('answers wrong-syntax / missing-element for bad bodies', async () => {
    const p = await h.partner();
    const g = await group(p);
    const [a] = await users(p, 1);
    const cases: Array<[unknown, string]> = [
      [{}, 'missing-element'],
      [{ users: [a] }, 'wrong-syntax'],
      [{ users: { add: a } }, 'wrong-syntax'],
      [{ users: { add: ['nope'] } }, 'wrong-syntax'],
      [{ users: { delete: [1] } }, 'wrong-syntax'],
      [{ users: { add: [a], delete: [a] } }, 'wrong-syntax'],
    ];
    for (const [body, status] of cases) {
      expect(
        (await h.call('POST', `${G}/${g}/user`, { sid: p.sid, body })).status,
        JSON.stringify(body),
      ).toBe(status);
    }
    expect((await members(p, g)).usergroup.users).toEqual([]);
  });
});

describe('DELETE /api/partner/usergroup/(uuid) (spec 9.1.6)', () => {
  it('answers not-empty while users are in it, then deletes it with its settings', async () => {
    const p = await h.partner();
    const g = await group(p, { description: 'Controlling' });
    const [a, gone] = await users(p, 2);
    await setMembers(p, g, [a!, gone!]);
    await h.call('POST', `${G}/${g}/extension`, { sid: p.sid, body: { add: { '10': a } } });
    await h.call('POST', `${G}/${g}/limit`, { sid: p.sid, body: { limit: 2 } });
    await h.call('POST', `${G}/${g}/credit`, { sid: p.sid, body: { add: 500 } });
    expect((await h.call('DELETE', `${G}/${g}`, { sid: p.sid })).status).toBe('not-empty');
    await setMembers(p, g, [], [a!]);
    await h.call('POST', `${G}/${g}/extension`, { sid: p.sid, body: { add: { '20': gone } } });
    // A deleted user does not keep the group from being deleted, and its extension reaches nobody.
    await h.call('POST', `/api/partner/user/${gone}`, { sid: p.sid, body: { deleted: true } });
    expect((await members(p, g)).usergroup.users).toEqual([]);
    expect((await h.call('GET', `${G}/${g}/extension`, { sid: p.sid })).extensions).toEqual({});
    expect(await h.call('DELETE', `${G}/${g}`, { sid: p.sid })).toEqual({ status: 'ok' });
    expect((await h.call('GET', G, { sid: p.sid })).usergroups).toEqual({});
    expect(await h.services.policy.credits.store.get(g)).toBeNull();
    expect(await h.services.policy.extensions.forGroup(g)).toEqual({});
    expect(await h.services.policy.callLimits.forGroup(g)).toBeNull();
    expect((await h.call('DELETE', `${G}/${g}`, { sid: p.sid })).status).toBe('wrong-usergroup');
    expect((await members(p, g)).status).toBe('wrong-usergroup');
  });
});

describe('usergroup extensions (spec 9.1.6 .../extension)', () => {
  it("sets the spec's shape, deletes before adding, and returns the table", async () => {
    const p = await h.partner();
    const g = await group(p);
    const [a, b, c] = await users(p, 3);
    await setMembers(p, g, [a!, b!, c!]);
    expect(await h.call('GET', `${G}/${g}/extension`, { sid: p.sid })).toEqual({
      status: 'ok',
      extensions: {},
    });
    const add = { '10': a, '20': b, '100': c, '99999': a };
    expect(await h.call('POST', `${G}/${g}/extension`, { sid: p.sid, body: { add } })).toEqual({
      status: 'ok',
    });
    expect(await h.call('GET', `${G}/${g}/extension`, { sid: p.sid })).toEqual({
      status: 'ok',
      extensions: add,
    });
    await h.call('POST', `${G}/${g}/extension`, {
      sid: p.sid,
      body: { add: { '20': c, '30': b }, delete: ['10', '20', '40', '50'] },
    });
    expect((await h.call('GET', `${G}/${g}/extension`, { sid: p.sid })).extensions).toEqual({
      '20': c,
      '30': b,
      '100': c,
      '99999': a,
    });
    expect(await h.services.policy.extensions.forGroup(g)).toEqual({
      '20': c,
      '30': b,
      '100': c,
      '99999': a,
    });
  });

  it('accepts members only (wrong-user) and drops a leaving member’s extensions', async () => {
    const p = await h.partner();
    const other = await h.partner();
    const g = await group(p);
    const g2 = await group(p);
    const [a, b, outsider] = await users(p, 3);
    await setMembers(p, g, [a!, b!]);
    await setMembers(p, g2, [outsider!]);
    const foreign = (await h.user({ partner: other.name })).uuid;
    for (const bad of [outsider!, foreign, newId()]) {
      const res = await h.call('POST', `${G}/${g}/extension`, {
        sid: p.sid,
        body: { add: { '10': a, '11': bad } },
      });
      expect(res.status).toBe('wrong-user');
    }
    expect((await h.call('GET', `${G}/${g}/extension`, { sid: p.sid })).extensions).toEqual({});
    await h.call('POST', `${G}/${g}/extension`, { sid: p.sid, body: { add: { '10': a, '11': b } } });
    await setMembers(p, g, [], [b!]);
    expect((await h.call('GET', `${G}/${g}/extension`, { sid: p.sid })).extensions).toEqual({ '10': a });
  });

  it('answers wrong-syntax / missing-element for bad extensions', async () => {
    const p = await h.partner();
    const g = await group(p);
    const [a] = await users(p, 1);
    await setMembers(p, g, [a!]);
    const cases: Array<[unknown, string]> = [
      [{}, 'missing-element'],
      [{ add: { '123456': a } }, 'wrong-syntax'],
      [{ add: { '': a } }, 'wrong-syntax'],
      [{ add: { '1a': a } }, 'wrong-syntax'],
      [{ add: { '10': 'not-a-uuid' } }, 'wrong-syntax'],
      [{ add: [a] }, 'wrong-syntax'],
      [{ delete: ['123456'] }, 'wrong-syntax'],
      [{ delete: [10] }, 'wrong-syntax'],
      [{ delete: '10' }, 'wrong-syntax'],
    ];
    for (const [body, status] of cases) {
      const res = await h.call('POST', `${G}/${g}/extension`, { sid: p.sid, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    expect((await h.call('GET', `${G}/${g}/extension`, { sid: p.sid })).extensions).toEqual({});
  });
});

describe('usergroup concurrent call limit (spec 9.1.6 .../limit)', () => {
  it('answers no-limit until set, takes 0...999, and deletes', async () => {
    const p = await h.partner();
    const g = await group(p);
    expect((await h.call('GET', `${G}/${g}/limit`, { sid: p.sid })).status).toBe('no-limit');
    expect(await h.call('POST', `${G}/${g}/limit`, { sid: p.sid, body: { limit: 2 } })).toEqual({
      status: 'ok',
    });
    expect(await h.call('GET', `${G}/${g}/limit`, { sid: p.sid })).toEqual({ status: 'ok', limit: 2 });
    for (const limit of [0, 999]) {
      await h.call('POST', `${G}/${g}/limit`, { sid: p.sid, body: { limit } });
      expect((await h.call('GET', `${G}/${g}/limit`, { sid: p.sid })).limit).toBe(limit);
    }
    expect(await h.services.policy.callLimits.forGroup(g)).toBe(999);
    expect(await h.call('DELETE', `${G}/${g}/limit`, { sid: p.sid })).toEqual({ status: 'ok' });
    expect((await h.call('GET', `${G}/${g}/limit`, { sid: p.sid })).status).toBe('no-limit');
  });

  it('answers wrong-syntax / missing-element for bad limits', async () => {
    const p = await h.partner();
    const g = await group(p);
    await h.call('POST', `${G}/${g}/limit`, { sid: p.sid, body: { limit: 5 } });
    for (const limit of [1000, -1, 2.5, '1000', '', '2.5', null, true]) {
      const res = await h.call('POST', `${G}/${g}/limit`, { sid: p.sid, body: { limit } });
      expect(res.status, JSON.stringify(limit)).toBe('wrong-syntax');
    }
    expect((await h.call('POST', `${G}/${g}/limit`, { sid: p.sid, body: {} })).status).toBe(
      'missing-element',
    );
    expect((await h.call('GET', `${G}/${g}/limit`, { sid: p.sid })).limit).toBe(5);
    // The spec's pattern form is taken too.
    expect((await h.call('POST', `${G}/${g}/limit`, { sid: p.sid, body: { limit: '007' } })).status).toBe(
      'ok',
    );
    expect((await h.call('GET', `${G}/${g}/limit`, { sid: p.sid })).limit).toBe(7);
  });
});

describe('usergroup authorization (spec 9.1.6)', () => {
  const perGroup = (g: string, u: string): Array<[string, string, unknown]> => [
    ['POST', `${G}/${g}`, { description: 'x' }],
    ['DELETE', `${G}/${g}`, undefined],
    ['POST', `${G}/${g}/user`, { users: { add: [u] } }],
    ['GET', `${G}/${g}/user`, undefined],
    ['GET', `${G}/${g}/extension`, undefined],
    ['POST', `${G}/${g}/extension`, { add: { '10': u } }],
    ['GET', `${G}/${g}/limit`, undefined],
    ['POST', `${G}/${g}/limit`, { limit: 1 }],
    ['DELETE', `${G}/${g}/limit`, undefined],
  ];

  it("answers wrong-usergroup for another partner's group exactly like an unknown one", async () => {
    const p = await h.partner();
    const other = await h.partner();
    const theirs = await group(other, { description: 'Theirs', prefix: 2 });
    const [u] = await users(p, 1);
    await h.call('POST', `${G}/${theirs}/limit`, { sid: other.sid, body: { limit: 3 } });
    for (const g of [theirs, newId()]) {
      for (const [method, url, body] of perGroup(g, u!)) {
        const res = await h.call(method, url, { sid: p.sid, body });
        expect(res, `${method} ${url}`).toEqual({
          status: 'wrong-usergroup',
          message: 'the usergroup does not exist or does not belong to the partner',
        });
      }
    }
    expect((await h.call('GET', G, { sid: other.sid })).usergroups[theirs]).toEqual({
      description: 'Theirs',
      prefix: 2,
    });
    expect((await h.call('GET', `${G}/${theirs}/limit`, { sid: other.sid })).limit).toBe(3);
  });

  it('needs a partner session', async () => {
    const p = await h.partner();
    const g = await group(p);
    const u = await h.user({ partner: p.name });
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const calls: Array<[string, string, unknown]> = [
      ['GET', G, undefined],
      ['POST', G, {}],
      ...perGroup(g, u.uuid),
    ];
    for (const [method, url, body] of calls) {
      expect((await h.call(method as 'GET', url, { body })).status).toBe('no-session');
      expect((await h.call(method as 'GET', url, { sid: anon, body })).status).toBe('no-auth');
      expect((await h.call(method as 'GET', url, { sid: u.sid, body })).status).toBe('no-auth');
    }
    expect((await h.call('GET', G, { sid: p.sid })).usergroups[g]).toEqual({ description: '' });
  });
});
