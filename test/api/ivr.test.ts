import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
let joe: TestUser;
const DIR = path.join(import.meta.dirname, '../../dialplans');
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
  joe = await h.user();
});
afterAll(async () => {
  await h?.close();
});

const announcement = async (u: TestUser = joe) => (await h.services.announcements.create(u.uuid, 'a')).uuid;
const create = async (b: unknown, sid = joe.sid) => h.call('POST', '/api/ivr', { sid, body: b });
const simple = async (extra: Record<string, unknown> = {}, u: TestUser = joe) => {
  const res = await create(
    { description: 'Simple', announcement: await announcement(u), '1': '+4922112345', ...extra },
    u.sid,
  );
  expect(res.status, JSON.stringify(res)).toBe('ok');
  return res.uuid as string;
};

/**
 * A fixture with its placeholders made real: announcement fields become the
 * user's announcements, digit UUIDs the IVRs given in `ivrs` (by placeholder).
 * A spec UUID may be used both ways (the spec example does), hence per role.
 */
async function materialize(file: string, ivrs: Record<string, string>): Promise<Record<string, any>> {
  const ivr = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Record<string, any>;
  ivr['announcement'] = await announcement();
  if (ivr['timeout']?.announcement) ivr['timeout'].announcement = await announcement();
  for (const d of DIGITS) {
    const v = ivr[d];
    if (typeof v === 'string' && UUID.test(v)) {
      ivr[d] = ivrs[v] ?? (await simple());
    }
  }
  return ivr;
}

const getRaw = async (uuid: string, sid = joe.sid) =>
  (
    await h.app.inject({
      method: 'GET',
      url: `/api/ivr/${uuid}`,
      headers: { authorization: `Bearer ${sid}` },
    })
  ).json();

describe('dialplans/ IVR fixtures (spec 5.1 example, two-level menu)', () => {
  it('creates the spec example and returns it exactly (GET /api/ivr/(uuid))', async () => {
    const ivr = await materialize('spec-ivr.json', {});
    const res = await create(ivr);
    expect(res.status).toBe('ok');
    expect(res.uuid).toMatch(UUID);
    const got = await getRaw(res.uuid);
    expect(got.status).toBe('ok');
    expect(JSON.stringify(got.ivr)).toBe(JSON.stringify(ivr));
  });

  it('builds the two-level menu: sub-menus first, the main menu refers to them', async () => {
    const sales = (await create(await materialize('ivr-sales-menu.json', {}))).uuid;
    const support = (await create(await materialize('ivr-support-menu.json', {}))).uuid;
    expect(sales).toMatch(UUID);
    expect(support).toMatch(UUID);
    const main = await materialize('ivr-main-menu.json', {
      'ce19884c-8fed-11e2-93fe-0024e8f90e01': sales,
      'ce19884c-8fed-11e2-93fe-0024e8f90e02': support,
    });
    const res = await create(main);
    expect(res.status).toBe('ok');
    expect((await getRaw(res.uuid)).ivr).toEqual(main);
    expect((await getRaw(res.uuid)).ivr['1']).toBe(sales);
  });
});

describe('POST /api/ivr, POST /api/ivr/(uuid) validation (spec 5.1)', () => {
  it('refuses bad values per field', async () => {
    const ann = await announcement();
    const ok = { description: 'Menu', announcement: ann, '1': '+4922112345' };
    const cases: [unknown, string][] = [
      [{ announcement: ann, '1': '+4922112345' }, 'missing-element'],
      [{ description: 'Menu', '1': '+4922112345' }, 'missing-element'],
      [{ description: 'Menu', announcement: ann }, 'missing-element'],
      [{ ...ok, description: '' }, 'wrong-syntax'],
      [{ ...ok, description: 'd'.repeat(201) }, 'wrong-syntax'],
      [{ ...ok, announcement: 'nope' }, 'wrong-syntax'],
      [{ ...ok, '1': '02211234' }, 'wrong-syntax'],
      [{ ...ok, '1': '+12' }, 'wrong-syntax'],
      [{ ...ok, '1': 5 }, 'wrong-syntax'],
      [{ ...ok, A: '+4922112345' }, 'wrong-syntax'],
      [{ ...ok, '10': '+4922112345' }, 'wrong-syntax'],
      [{ ...ok, other: 'hangup' }, 'wrong-syntax'],
      [{ ...ok, timeout: {} }, 'missing-element'],
      [{ ...ok, timeout: { seconds: 10 } }, 'missing-element'],
      [{ ...ok, timeout: { action: 'repeat' } }, 'missing-element'],
      [{ ...ok, timeout: { seconds: 0, action: 'repeat' } }, 'wrong-syntax'],
      [{ ...ok, timeout: { seconds: '10', action: 'repeat' } }, 'wrong-syntax'],
      [{ ...ok, timeout: { seconds: 10, action: 'hangup' } }, 'wrong-syntax'],
      [{ ...ok, timeout: { seconds: 10, action: 'call' } }, 'missing-element'],
      [{ ...ok, timeout: { seconds: 10, action: 'call', phone: '0221' } }, 'wrong-syntax'],
      [{ ...ok, timeout: { seconds: 10, action: 'play' } }, 'missing-element'],
      [{ ...ok, timeout: { seconds: 10, action: 'play', announcement: 'x' } }, 'wrong-syntax'],
      [{ ...ok, timeout: { seconds: 10, action: 'repeat', extra: 1 } }, 'wrong-syntax'],
      [{ ...ok, '2': '00000000-0000-1000-8000-000000000000' }, 'wrong-ivr'],
      [{ ...ok, announcement: '00000000-0000-1000-8000-000000000000' }, 'wrong-announcement'],
    ];
    for (const [b, status] of cases) expect((await create(b)).status, JSON.stringify(b)).toBe(status);
    const good = [
      ok,
      { ...ok, other: 'repeat', '#': '+12345678901234567890', '*': '+491' },
      { ...ok, other: '+4922112345', timeout: { seconds: 1, action: 'repeat' } },
      { ...ok, timeout: { seconds: 5, action: 'call', phone: '+4922112345' } },
      { ...ok, timeout: { seconds: 5, action: 'play', announcement: ann } },
    ];
    for (const b of good) expect((await create(b)).status, JSON.stringify(b)).toBe('ok');
  });

  it("refuses another user's IVRs and announcements like unknown ones", async () => {
    const eve = await h.user();
    const eveIvr = await simple({}, eve);
    const eveAnn = await announcement(eve);
    const ann = await announcement();
    const cases: [unknown, string][] = [
      [{ description: 'x', announcement: ann, '1': eveIvr }, 'wrong-ivr'],
      [{ description: 'x', announcement: eveAnn, '1': '+4922112345' }, 'wrong-announcement'],
      [
        {
          description: 'x',
          announcement: ann,
          '1': '+4922112345',
          timeout: { seconds: 3, action: 'play', announcement: eveAnn },
        },
        'wrong-announcement',
      ],
    ];
    for (const [b, status] of cases) expect((await create(b)).status, JSON.stringify(b)).toBe(status);
    for (const [m, b] of [
      ['GET'],
      ['DELETE'],
      ['POST', { description: 'x', announcement: ann, '1': '+4922112345' }],
    ] as const) {
      expect((await h.call(m, `/api/ivr/${eveIvr}`, { sid: joe.sid, body: b })).status, m).toBe('wrong-ivr');
      expect(
        (await h.call(m, '/api/ivr/00000000-0000-1000-8000-000000000000', { sid: joe.sid, body: b })).status,
      ).toBe('wrong-ivr');
    }
    expect((await getRaw(eveIvr, eve.sid)).status).toBe('ok');
    expect((await h.call('GET', '/api/ivr/not-a-uuid', { sid: joe.sid })).status).toBe('wrong-syntax');
  });

  it('updates an IVR (also pointing a digit at itself) and deletes it', async () => {
    const uuid = await simple();
    const next = { description: 'Updated', announcement: await announcement(), '9': uuid, other: 'repeat' };
    expect(await h.call('POST', `/api/ivr/${uuid}`, { sid: joe.sid, body: next })).toEqual({ status: 'ok' });
    expect((await getRaw(uuid)).ivr).toEqual(next);
    expect(
      (await h.call('POST', `/api/ivr/${uuid}`, { sid: joe.sid, body: { ...next, '9': 'x' } })).status,
    ).toBe('wrong-syntax');
    expect(await h.call('DELETE', `/api/ivr/${uuid}`, { sid: joe.sid })).toEqual({ status: 'ok' });
    expect((await h.call('GET', `/api/ivr/${uuid}`, { sid: joe.sid })).status).toBe('wrong-ivr');
    expect((await h.call('DELETE', `/api/ivr/${uuid}`, { sid: joe.sid })).status).toBe('wrong-ivr');
  });
});

describe('GET /api/ivr paging (spec 5.1)', () => {
  it('lists description and uuid with count, order and start', async () => {
    const u = await h.user();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await simple({ description: `Menu ${i}` }, u));
    const list = await h.call('GET', '/api/ivr', { sid: u.sid });
    expect(list).toEqual({ status: 'ok', ivr: ids.map((uuid, i) => ({ description: `Menu ${i}`, uuid })) });
    const two = await h.call('GET', '/api/ivr', { sid: u.sid, query: { count: '2' } });
    expect(two.ivr.map((x: { uuid: string }) => x.uuid)).toEqual(ids.slice(0, 2));
    const after = await h.call('GET', '/api/ivr', { sid: u.sid, query: { start: ids[1]!, count: '2' } });
    expect(after.ivr.map((x: { uuid: string }) => x.uuid)).toEqual(ids.slice(2, 4));
    const desc = await h.call('GET', '/api/ivr', { sid: u.sid, query: { order: 'desc', count: '3' } });
    expect(desc.ivr.map((x: { uuid: string }) => x.uuid)).toEqual([...ids].reverse().slice(0, 3));
    const past = await h.call('GET', '/api/ivr', { sid: u.sid, query: { to: '1000' } });
    expect(past.ivr).toEqual([]);
    const badQueries: Record<string, string>[] = [
      { count: '0' },
      { count: '501' },
      { order: 'up' },
      { from: 'x' },
      { from: '20', to: '10' },
    ];
    for (const query of badQueries) {
      expect((await h.call('GET', '/api/ivr', { sid: u.sid, query })).status, JSON.stringify(query)).toBe(
        'wrong-syntax',
      );
    }
    expect(
      (await h.call('GET', '/api/ivr', { sid: joe.sid })).ivr.map((x: { uuid: string }) => x.uuid),
    ).not.toContain(ids[0]);
  });

  it('authorization: no-session and no-auth', async () => {
    const id = '00000000-0000-1000-8000-000000000000';
    const b = { description: 'x', announcement: id, '1': '+4922112345' };
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/ivr'],
      ['POST', '/api/ivr', b],
      ['GET', `/api/ivr/${id}`],
      ['POST', `/api/ivr/${id}`, b],
      ['DELETE', `/api/ivr/${id}`],
    ];
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const partner = await h.partner();
    for (const [method, url, body] of calls) {
      expect((await h.call(method as 'GET', url, { body })).status, `${method} ${url}`).toBe('no-session');
      for (const sid of [anon, partner.sid]) {
        expect((await h.call(method as 'GET', url, { body, sid })).status, `${method} ${url}`).toBe(
          'no-auth',
        );
      }
    }
  });
});
