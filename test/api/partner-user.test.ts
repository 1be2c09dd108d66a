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

const anonymous = async (): Promise<string> => (await h.call('GET', '/api/session')).sid as string;
const login = (username: string, password: string) =>
  h.call('POST', '/api/session', { body: { username, password } });
const row = (uuid: string) => h.services.users.byId(uuid);
const sessionAlive = async (sid: string) => (await h.call('GET', '/api/session', { sid })).status === 'ok';

describe('GET /api/partner/user (spec 9.1.1)', () => {
  it("lists the partner's users in creation order, with paging", async () => {
    const p = await h.partner();
    const other = await h.partner();
    const mine = [];
    for (let i = 0; i < 4; i++) mine.push((await h.user({ partner: p.name })).uuid);
    await h.user({ partner: other.name });
    await h.user();

    const all = await h.call('GET', '/api/partner/user', { sid: p.sid });
    expect(all).toEqual({ status: 'ok', users: mine });

    const first = await h.call('GET', '/api/partner/user', { sid: p.sid, query: { count: '2' } });
    expect(first.users).toEqual(mine.slice(0, 2));
    const next = await h.call('GET', '/api/partner/user', {
      sid: p.sid,
      query: { count: '2', start: mine[1]! },
    });
    expect(next.users).toEqual(mine.slice(2, 4));
    const desc = await h.call('GET', '/api/partner/user', { sid: p.sid, query: { order: 'desc' } });
    expect(desc.users).toEqual([...mine].reverse());
    const descFrom = await h.call('GET', '/api/partner/user', {
      sid: p.sid,
      query: { order: 'desc', start: mine[2]! },
    });
    expect(descFrom.users).toEqual([mine[1], mine[0]]);
    const now = Math.floor(Date.now() / 1000);
    expect(
      (await h.call('GET', '/api/partner/user', { sid: p.sid, query: { from: String(now + 3600) } })).users,
    ).toEqual([]);
    expect(
      (await h.call('GET', '/api/partner/user', { sid: p.sid, query: { to: String(now - 3600) } })).users,
    ).toEqual([]);
    expect(
      (
        await h.call('GET', '/api/partner/user', {
          sid: p.sid,
          query: { from: String(now - 3600), to: String(now + 3600) },
        })
      ).users,
    ).toEqual(mine);
  });

  it('has no users for a new partner and leaves deleted users out', async () => {
    const p = await h.partner();
    expect(await h.call('GET', '/api/partner/user', { sid: p.sid })).toEqual({ status: 'ok', users: [] });
    const a = await h.user({ partner: p.name });
    const b = await h.user({ partner: p.name });
    await h.call('POST', `/api/partner/user/${a.uuid}`, { sid: p.sid, body: { deleted: true } });
    expect((await h.call('GET', '/api/partner/user', { sid: p.sid })).users).toEqual([b.uuid]);
  });

  it('answers wrong-syntax for bad paging parameters', async () => {
    const p = await h.partner();
    const queries: Array<Record<string, string>> = [
      { count: '0' },
      { count: '501' },
      { count: 'ten' },
      { order: 'up' },
      { start: 'not-a-uuid' },
      { from: '-1' },
      { from: '200', to: '100' },
    ];
    for (const query of queries) {
      expect(
        (await h.call('GET', '/api/partner/user', { sid: p.sid, query })).status,
        JSON.stringify(query),
      ).toBe('wrong-syntax');
    }
    expect((await h.call('GET', '/api/partner/user', { sid: p.sid, query: { count: '500' } })).status).toBe(
      'ok',
    );
  });
});

describe('GET /api/partner/user/(user-uuid) (spec 9.1.1)', () => {
  it('answers the user and feature sections like the spec example', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name, email: `john${Date.now()}@doe.com` });
    await h.services.db
      .updateTable('users')
      .set({
        firstname: 'John',
        lastname: 'Doe',
        display_name: 'Johnny Doe',
        usergroup: 'Accounting',
        ignore_ip_whitelisting: true,
        feature_packs: JSON.stringify(['20GB+', 'COSPACE-BOX']),
      })
      .where('uuid', '=', u.uuid)
      .execute();
    const res = await h.call('GET', `/api/partner/user/${u.uuid}`, { sid: p.sid });
    expect(res).toEqual({
      status: 'ok',
      user: {
        username: u.username,
        firstname: 'John',
        lastname: 'Doe',
        display_name: 'Johnny Doe',
        country_code: '+49',
        ignore_ip_whitelisting: true,
        usergroup: 'Accounting',
        email: expect.stringMatching(/^john\d+@doe\.com$/),
        language: 'de',
      },
      // The partner controls phone numbers (phone_control), so the section is there (spec 9.1.1).
      phone: {},
      feature: { pack: ['20GB+', 'COSPACE-BOX'] },
    });
  });

  it('leaves out usergroup and email when unset', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const res = await h.call('GET', `/api/partner/user/${u.uuid.toUpperCase()}`, { sid: p.sid });
    expect(res.status).toBe('ok');
    expect(res.user).not.toHaveProperty('usergroup');
    expect(res.user).not.toHaveProperty('email');
    expect(res.user.ignore_ip_whitelisting).toBe(false);
    expect(res.feature).toEqual({ pack: [] });
  });

  it('answers wrong-user for unknown, foreign, own-less and deleted users', async () => {
    const p = await h.partner();
    const other = await h.partner();
    const foreign = await h.user({ partner: other.name });
    const plain = await h.user();
    const gone = await h.user({ partner: p.name });
    await h.services.lifecycle.delete(gone.uuid);
    for (const uuid of [newId(), foreign.uuid, plain.uuid, gone.uuid]) {
      const res = await h.call('GET', `/api/partner/user/${uuid}`, { sid: p.sid });
      expect(res.status).toBe('wrong-user');
    }
    expect((await h.call('GET', '/api/partner/user/not-a-uuid', { sid: p.sid })).status).toBe('wrong-syntax');
  });
});

describe('POST /api/partner/user/(user-uuid) (spec 9.1.1)', () => {
  it('applies the spec example: country code, disable, feature packs', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    await h.services.db
      .updateTable('users')
      .set({ feature_packs: JSON.stringify(['10GB+', 'FAX100+']) })
      .where('uuid', '=', u.uuid)
      .execute();
    const res = await h.call('POST', `/api/partner/user/${u.uuid}`, {
      sid: p.sid,
      body: {
        country_code: '+49',
        disabled: true,
        feature: { pack: { add: ['20GB+', 'COSPACE-BOX'], delete: ['10GB+'] } },
      },
    });
    expect(res).toEqual({ status: 'ok' });
    const r = await row(u.uuid);
    expect(r?.disabled).toBe(true);
    expect(r?.feature_packs).toEqual(['FAX100+', '20GB+', 'COSPACE-BOX']);
  });

  it('changes country_code and ignore_ip_whitelisting and publishes user_modify', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const before = await h.services.nextEventId(u.sid);
    const res = await h.call('POST', `/api/partner/user/${u.uuid}`, {
      sid: p.sid,
      body: { country_code: '+1', ignore_ip_whitelisting: true },
    });
    expect(res.status).toBe('ok');
    const got = await h.call('GET', `/api/partner/user/${u.uuid}`, { sid: p.sid });
    expect(got.user.country_code).toBe('+1');
    expect(got.user.ignore_ip_whitelisting).toBe(true);
    const events = await h.services.eventLog.read(u.sid, before);
    expect(events.map((e) => e.event)).toEqual(['user_modify']);
    expect(events[0]).toEqual({ id: before, event: 'user_modify', time: expect.any(Number) });

    // The same values again change nothing and publish nothing.
    await h.call('POST', `/api/partner/user/${u.uuid}`, {
      sid: p.sid,
      body: { country_code: '+1', ignore_ip_whitelisting: true, feature: { pack: { delete: ['nope'] } } },
    });
    expect(await h.services.eventLog.read(u.sid, before + 1)).toEqual([]);
  });

  it('adds feature packs without duplicates and deletes them', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const packs = async () =>
      (await h.call('GET', `/api/partner/user/${u.uuid}`, { sid: p.sid })).feature.pack;
    const mod = (pack: unknown) =>
      h.call('POST', `/api/partner/user/${u.uuid}`, { sid: p.sid, body: { feature: { pack } } });
    expect((await mod({ add: ['20GB+', '20GB+', 'X'] })).status).toBe('ok');
    expect(await packs()).toEqual(['20GB+', 'X']);
    expect((await mod({ add: ['X', 'Y'] })).status).toBe('ok');
    expect(await packs()).toEqual(['20GB+', 'X', 'Y']);
    expect((await mod({ delete: ['X', 'unknown'] })).status).toBe('ok');
    expect(await packs()).toEqual(['20GB+', 'Y']);
    expect((await mod({ add: ['Z'], delete: ['Z'] })).status).toBe('wrong-syntax');
    expect(await packs()).toEqual(['20GB+', 'Y']);
  });

  it('answers wrong-syntax for bad field values and changes nothing', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    for (const body of [
      { country_code: '49' },
      { country_code: '+1234' },
      { country_code: '+' },
      { country_code: 49 },
      { ignore_ip_whitelisting: 'true' },
      { disabled: 1 },
      { deleted: false },
      { deleted: 'true' },
      { feature: { pack: { add: [''] } } },
      { feature: { pack: { add: ['x'.repeat(51)] } } },
      { feature: { pack: { add: 'X' } } },
      { feature: { pack: { delete: [5] } } },
      { feature: 'pack' },
    ]) {
      const res = await h.call('POST', `/api/partner/user/${u.uuid}`, { sid: p.sid, body });
      expect(res.status, JSON.stringify(body)).toBe('wrong-syntax');
    }
    expect(
      (await h.call('POST', `/api/partner/user/${u.uuid}`, { sid: p.sid, body: '{broken' })).status,
    ).toBe('wrong-syntax');
    const r = await row(u.uuid);
    expect(r).toMatchObject({ country_code: '+49', disabled: false, deleted: false, feature_packs: [] });
  });

  it('disabling blocks login and ends live sessions at once; enabling lets the user in again', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const second = await login(u.username, u.password);
    expect(await sessionAlive(u.sid)).toBe(true);

    expect(
      await h.call('POST', `/api/partner/user/${u.uuid}`, { sid: p.sid, body: { disabled: true } }),
    ).toEqual({ status: 'ok' });
    expect(await sessionAlive(u.sid)).toBe(false);
    expect(await sessionAlive(second.sid as string)).toBe(false);
    expect((await h.call('DELETE', '/api/session', { sid: u.sid })).status).toBe('no-session');
    expect((await login(u.username, u.password)).status).toBe('wrong-credentials');
    // A disabled user stays visible to the partner.
    expect((await h.call('GET', `/api/partner/user/${u.uuid}`, { sid: p.sid })).status).toBe('ok');
    // The partner session itself is not affected.
    expect(await sessionAlive(p.sid)).toBe(true);

    await h.call('POST', `/api/partner/user/${u.uuid}`, { sid: p.sid, body: { disabled: false } });
    const again = await login(u.username, u.password);
    expect(again).toMatchObject({ status: 'ok', auth: true, partner: p.name });
  });

  it('deletes a user permanently: login fails, sessions end, data goes, the row stays marked', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name, email: `del${Date.now()}@doe.com` });
    const db = h.services.db;
    const objectId = newId();
    await db
      .insertInto('objects')
      .values({
        uuid: objectId,
        type: 'fax',
        owner: u.uuid,
        created_us: Date.now() * 1000,
        description: null,
        data: '{}',
        search_text: '',
      })
      .execute();
    await db
      .insertInto('object_metadata')
      .values({ object_uuid: objectId, key: 'a.bb', value: '1' })
      .execute();
    await db.insertInto('user_metadata').values({ user_uuid: u.uuid, key: 'a.bb', value: '"x"' }).execute();
    await h.call('POST', `/api/partner/recovery/${u.uuid}`, { sid: p.sid });
    expect((await db.selectFrom('tags').select('uuid').where('owner', '=', u.uuid).execute()).length).toBe(9);

    const before = await h.services.nextEventId(u.sid);
    const res = await h.call('POST', `/api/partner/user/${u.uuid}`, {
      sid: p.sid,
      body: { deleted: true, country_code: '+1' },
    });
    expect(res).toEqual({ status: 'ok' });
    expect(await sessionAlive(u.sid)).toBe(false);
    expect(await h.services.eventLog.read(u.sid, before)).toEqual([]);
    expect((await login(u.username, u.password)).status).toBe('wrong-credentials');
    const r = await row(u.uuid);
    expect(r).toMatchObject({ deleted: true, password_hash: null, email: null, username: u.username });
    expect(await db.selectFrom('tags').select('uuid').where('owner', '=', u.uuid).execute()).toEqual([]);
    expect(await db.selectFrom('objects').select('uuid').where('owner', '=', u.uuid).execute()).toEqual([]);
    expect(
      await db.selectFrom('object_metadata').select('key').where('object_uuid', '=', objectId).execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('user_metadata').select('key').where('user_uuid', '=', u.uuid).execute(),
    ).toEqual([]);
    expect(
      await db
        .selectFrom('password_recoveries')
        .select('user_uuid')
        .where('user_uuid', '=', u.uuid)
        .execute(),
    ).toEqual([]);

    // Gone for the partner too.
    for (const [method, url] of [
      ['GET', `/api/partner/user/${u.uuid}`],
      ['POST', `/api/partner/user/${u.uuid}`],
      ['POST', `/api/partner/recovery/${u.uuid}`],
    ] as const) {
      expect((await h.call(method, url, { sid: p.sid, body: {} })).status).toBe('wrong-user');
    }
    // Partner proxy login for the deleted user fails too (spec 3.1).
    const s = await anonymous();
    expect(
      (await h.call('POST', '/api/session', { sid: s, body: { partner: p.name, key: p.key, user: u.uuid } }))
        .status,
    ).toBe('wrong-user');
  });

  it('answers wrong-user for unknown, foreign and non-partner users', async () => {
    const p = await h.partner();
    const other = await h.partner();
    const foreign = await h.user({ partner: other.name });
    const plain = await h.user();
    for (const uuid of [newId(), foreign.uuid, plain.uuid]) {
      const res = await h.call('POST', `/api/partner/user/${uuid}`, { sid: p.sid, body: { disabled: true } });
      expect(res.status).toBe('wrong-user');
    }
    expect((await row(foreign.uuid))?.disabled).toBe(false);
    expect(await sessionAlive(foreign.sid)).toBe(true);
    expect(await sessionAlive(plain.sid)).toBe(true);
  });
});

describe('POST /api/partner/recovery/(user-uuid) (spec 9.1.1)', () => {
  it('answers a 26-character code; a new one replaces the old one', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const first = await h.call('POST', `/api/partner/recovery/${u.uuid}`, { sid: p.sid, body: {} });
    expect(first).toEqual({ status: 'ok', code: expect.stringMatching(/^[A-Za-z0-9]{26}$/) });
    const second = await h.call('POST', `/api/partner/recovery/${u.uuid}`, { sid: p.sid });
    expect(second.code).not.toBe(first.code);
    const reset = (code: string) =>
      anonymous().then((sid) =>
        h.call('POST', '/api/password', { sid, body: { username: u.username, code, password: 'newpass' } }),
      );
    expect((await reset(first.code as string)).status).toBe('wrong-username');
    expect((await reset(second.code as string)).status).toBe('ok');
  });

  it('answers wrong-user for unknown and foreign users', async () => {
    const p = await h.partner();
    const other = await h.partner();
    const foreign = await h.user({ partner: other.name });
    for (const uuid of [newId(), foreign.uuid]) {
      expect((await h.call('POST', `/api/partner/recovery/${uuid}`, { sid: p.sid })).status).toBe(
        'wrong-user',
      );
    }
    expect((await h.call('POST', '/api/partner/recovery/xyz', { sid: p.sid })).status).toBe('wrong-syntax');
  });
});

describe('authorization of the partner user calls', () => {
  it('needs a session authenticated with a partner', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const plain = await h.user();
    const anon = await anonymous();
    const calls = [
      ['GET', '/api/partner/user'],
      ['GET', `/api/partner/user/${u.uuid}`],
      ['POST', `/api/partner/user/${u.uuid}`],
      ['POST', `/api/partner/recovery/${u.uuid}`],
    ] as const;
    for (const [method, url] of calls) {
      expect((await h.call(method, url, { body: {} })).status, `${method} ${url}`).toBe('no-session');
      expect((await h.call(method, url, { sid: 'unknownsid', body: {} })).status).toBe('no-session');
      expect((await h.call(method, url, { sid: anon, body: {} })).status).toBe('no-auth');
      // The partner's own user, and a plain user: user sessions are no partner sessions.
      expect((await h.call(method, url, { sid: u.sid, body: {} })).status).toBe('no-auth');
      expect((await h.call(method, url, { sid: plain.sid, body: {} })).status).toBe('no-auth');
    }
    // A partner proxy session for the user is a user session, not a partner session.
    const proxy = await anonymous();
    await h.call('POST', '/api/session', { sid: proxy, body: { partner: p.name, key: p.key, user: u.uuid } });
    expect((await h.call('GET', '/api/partner/user', { sid: proxy })).status).toBe('no-auth');
  });
});
