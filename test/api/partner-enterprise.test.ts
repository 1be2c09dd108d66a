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

const E = '/api/partner/enterprise';
type Partner = Awaited<ReturnType<Harness['partner']>>;

const enterprise = async (p: Partner, body: Record<string, unknown> = {}): Promise<string> => {
  const res = await h.call('POST', E, { sid: p.sid, body });
  expect(res.status).toBe('ok');
  return res.enterprise_uuid as string;
};
const group = async (p: Partner): Promise<string> =>
  (await h.call('POST', '/api/partner/usergroup', { sid: p.sid, body: {} })).group_uuid;
const setGroups = (p: Partner, e: string, add: string[] = [], del: string[] = []) =>
  h.call('POST', `${E}/${e}/usergroup`, { sid: p.sid, body: { usergroups: { add, delete: del } } });
const enterpriseOf = (g: string) => h.services.policy.enterprises.ofUsergroup(g);

describe('POST/GET /api/partner/enterprise (spec 9.1.7)', () => {
  it("creates the spec's examples and lists them with defaults", async () => {
    const p = await h.partner();
    const a = await enterprise(p);
    const b = await enterprise(p, { description: 'Company', group_prefix_enable: false });
    const c = await enterprise(p, { description: 'Prefixed', group_prefix_enable: true });
    expect(b).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await h.call('GET', E, { sid: p.sid })).toEqual({
      status: 'ok',
      enterprises: {
        [a]: { description: '', group_prefix_enable: false },
        [b]: { description: 'Company', group_prefix_enable: false },
        [c]: { description: 'Prefixed', group_prefix_enable: true },
      },
    });
    expect(await h.call('GET', E, { sid: (await h.partner()).sid })).toEqual({
      status: 'ok',
      enterprises: {},
    });
  });

  it("updates with the spec's example; absent fields stay", async () => {
    const p = await h.partner();
    const e = await enterprise(p, { description: 'Company' });
    expect(
      await h.call('POST', `${E}/${e}`, {
        sid: p.sid,
        body: { description: 'Accounting', group_prefix_enable: true },
      }),
    ).toEqual({ status: 'ok' });
    expect((await h.call('GET', E, { sid: p.sid })).enterprises[e]).toEqual({
      description: 'Accounting',
      group_prefix_enable: true,
    });
    await h.call('POST', `${E}/${e}`, { sid: p.sid, body: { group_prefix_enable: false } });
    await h.call('POST', `${E}/${e}`, { sid: p.sid, body: {} });
    expect((await h.call('GET', E, { sid: p.sid })).enterprises[e]).toEqual({
      description: 'Accounting',
      group_prefix_enable: false,
    });
  });

  it('answers wrong-syntax for bad fields', async () => {
    const p = await h.partner();
    const e = await enterprise(p, { description: 'Keep' });
    const bad: Array<Record<string, unknown>> = [
      { description: 'x'.repeat(201) },
      { description: 1 },
      { group_prefix_enable: 'true' },
      { group_prefix_enable: 1 },
      { group_prefix_enable: null },
    ];
    for (const body of bad) {
      expect((await h.call('POST', E, { sid: p.sid, body })).status, JSON.stringify(body)).toBe(
        'wrong-syntax',
      );
      expect((await h.call('POST', `${E}/${e}`, { sid: p.sid, body })).status).toBe('wrong-syntax');
    }
    expect(await h.call('GET', E, { sid: p.sid })).toEqual({
      status: 'ok',
      enterprises: { [e]: { description: 'Keep', group_prefix_enable: false } },
    });
  });
});

describe('enterprise usergroups (spec 9.1.7 .../usergroup)', () => {
  it('adds and deletes usergroups; the engine sees the enterprise and its prefix rule', async () => {
    const p = await h.partner();
    const e = await enterprise(p, { group_prefix_enable: true });
    const [a, b, c] = [await group(p), await group(p), await group(p)];
    expect(await setGroups(p, e, [a, b])).toEqual({ status: 'ok' });
    expect(await enterpriseOf(a)).toEqual({ uuid: e, group_prefix_enable: true });
    await setGroups(p, e, [c], [a]);
    expect(await enterpriseOf(a)).toBeNull();
    expect(await enterpriseOf(c)).toEqual({ uuid: e, group_prefix_enable: true });
    // Adding again, deleting a non-member: no change, no error.
    expect((await setGroups(p, e, [b], [a])).status).toBe('ok');
    expect(await enterpriseOf(b)).toEqual({ uuid: e, group_prefix_enable: true });
  });

  it('answers already-grouped for a group in another enterprise, and changes nothing', async () => {
    const p = await h.partner();
    const e1 = await enterprise(p);
    const e2 = await enterprise(p);
    const [a, b] = [await group(p), await group(p)];
    await setGroups(p, e1, [a]);
    expect((await setGroups(p, e2, [b, a])).status).toBe('already-grouped');
    expect(await enterpriseOf(b)).toBeNull();
    await setGroups(p, e1, [], [a]);
    expect((await setGroups(p, e2, [a])).status).toBe('ok');
  });

  it('answers wrong-usergroup for unknown or foreign groups, and changes nothing', async () => {
    const p = await h.partner();
    const other = await h.partner();
    const e = await enterprise(p);
    const mine = await group(p);
    const theirs = await group(other);
    for (const bad of [theirs, newId()]) {
      expect((await setGroups(p, e, [mine, bad])).status).toBe('wrong-usergroup');
      expect((await setGroups(p, e, [mine], [bad])).status).toBe('wrong-usergroup');
    }
    expect(await enterpriseOf(mine)).toBeNull();
    expect(await enterpriseOf(theirs)).toBeNull();
  });

  it('answers wrong-syntax / missing-element for bad bodies', async () => {
    const p = await h.partner();
    const e = await enterprise(p);
    const g = await group(p);
    const cases: Array<[unknown, string]> = [
      [{}, 'missing-element'],
      [{ usergroups: [g] }, 'wrong-syntax'],
      [{ usergroups: { add: g } }, 'wrong-syntax'],
      [{ usergroups: { add: ['x'] } }, 'wrong-syntax'],
      [{ usergroups: { add: [g], delete: [g] } }, 'wrong-syntax'],
    ];
    for (const [body, status] of cases) {
      const res = await h.call('POST', `${E}/${e}/usergroup`, { sid: p.sid, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    expect(await enterpriseOf(g)).toBeNull();
  });
});

describe('DELETE /api/partner/enterprise/(uuid) (spec 9.1.7)', () => {
  it('answers not-empty while usergroups are in it', async () => {
    const p = await h.partner();
    const e = await enterprise(p);
    const g = await group(p);
    await setGroups(p, e, [g]);
    expect((await h.call('DELETE', `${E}/${e}`, { sid: p.sid })).status).toBe('not-empty');
    await setGroups(p, e, [], [g]);
    expect(await h.call('DELETE', `${E}/${e}`, { sid: p.sid })).toEqual({ status: 'ok' });
    expect((await h.call('GET', E, { sid: p.sid })).enterprises).toEqual({});
    expect((await h.call('DELETE', `${E}/${e}`, { sid: p.sid })).status).toBe('wrong-enterprise');
  });

  it('lets a usergroup in an enterprise be deleted (it leaves the enterprise)', async () => {
    const p = await h.partner();
    const e = await enterprise(p);
    const g = await group(p);
    await setGroups(p, e, [g]);
    expect((await h.call('DELETE', `/api/partner/usergroup/${g}`, { sid: p.sid })).status).toBe('ok');
    expect((await h.call('DELETE', `${E}/${e}`, { sid: p.sid })).status).toBe('ok');
  });
});

describe('enterprise authorization (spec 9.1.7)', () => {
  const perEnterprise = (e: string, g: string): Array<[string, string, unknown]> => [
    ['POST', `${E}/${e}`, { description: 'x' }],
    ['DELETE', `${E}/${e}`, undefined],
    ['POST', `${E}/${e}/usergroup`, { usergroups: { add: [g] } }],
  ];

  it("answers wrong-enterprise for another partner's enterprise exactly like an unknown one", async () => {
    const p = await h.partner();
    const other = await h.partner();
    const theirs = await enterprise(other, { description: 'Theirs' });
    const g = await group(p);
    for (const e of [theirs, newId()]) {
      for (const [method, url, body] of perEnterprise(e, g)) {
        expect(await h.call(method as 'GET', url, { sid: p.sid, body }), `${method} ${url}`).toEqual({
          status: 'wrong-enterprise',
          message: 'the enterprise does not exist or does not belong to the partner',
        });
      }
    }
    expect((await h.call('GET', E, { sid: other.sid })).enterprises[theirs]).toEqual({
      description: 'Theirs',
      group_prefix_enable: false,
    });
    expect(await enterpriseOf(g)).toBeNull();
  });

  it('needs a partner session', async () => {
    const p = await h.partner();
    const e = await enterprise(p);
    const g = await group(p);
    const u = await h.user({ partner: p.name });
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const calls: Array<[string, string, unknown]> = [
      ['GET', E, undefined],
      ['POST', E, {}],
      ...perEnterprise(e, g),
    ];
    for (const [method, url, body] of calls) {
      expect((await h.call(method as 'GET', url, { body })).status).toBe('no-session');
      expect((await h.call(method as 'GET', url, { sid: anon, body })).status).toBe('no-auth');
      expect((await h.call(method as 'GET', url, { sid: u.sid, body })).status).toBe('no-auth');
    }
    expect(Object.keys((await h.call('GET', E, { sid: p.sid })).enterprises)).toEqual([e]);
  });
});
