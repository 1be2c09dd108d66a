import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/admin/commands.js';
import { newId } from '../../src/lib/ids.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
});
afterAll(async () => {
  await h?.close();
});

let areaCounter = 100;
/** A fresh area code with the given pool, and a user living there. */
async function userInArea(
  poolSize = 3,
): Promise<{ uuid: string; sid: string; username: string; pool: string[] }> {
  areaCounter += 1;
  const area = String(areaCounter);
  const pool = Array.from({ length: poolSize }, (_, i) => `+49${area}55500${i}`);
  expect(await runAdminCommand(h.services, { op: 'numbers.add', area, numbers: pool })).toEqual({
    added: pool,
  });
  const u = await h.user();
  await runAdminCommand(h.services, { op: 'user.set-area', user: u.username, area });
  return { ...u, pool };
}

const create = (sid: string) => h.call('POST', '/api/phone', { sid, body: { create: true } });
const list = async (sid: string) =>
  (await h.call('GET', '/api/phone', { sid })).phone as Record<string, Record<string, unknown>>;

const DEFAULTS = {
  dialplan_enable: false,
  call_enable: false,
  fax_enable: true,
  recording_enable: true,
  play_announcement_only: false,
  conference_enable: true,
  notification_email: false,
  notification_attachment: false,
  on_hold_music: null,
};

describe('GET/POST /api/phone create (spec 3.9)', () => {
  it('lists nothing for a new user', async () => {
    const u = await h.user();
    expect(await h.call('GET', '/api/phone', { sid: u.sid })).toEqual({ status: 'ok', phone: {} });
  });

  it("reserves a number from the area's pool with an unlock code and the default flags", async () => {
    const u = await userInArea(2);
    const before = await h.services.nextEventId(u.sid);
    const res = await create(u.sid);
    expect(res.status).toBe('ok');
    const number = u.pool[0]!;
    expect(Object.keys(res)).toEqual(['status', number]);
    const code = (res[number] as { unlock_code: string }).unlock_code;
    expect(code).toMatch(/^[0-9]{4}$/);
    expect(await list(u.sid)).toEqual({ [number]: { ...DEFAULTS, unlock_code: code } });
    const events = await h.services.eventLog.read(u.sid, before);
    expect(events).toEqual([{ id: before, event: 'phone_modify', time: expect.any(Number) }]);

    // Unlocking by DTMF (the telephony engine calls this) activates it.
    expect(await h.services.phones.unlock(number, code === '0000' ? '0001' : '0000')).toBe(false);
    expect(await h.services.phones.unlock(number, code)).toBe(true);
    expect(await list(u.sid)).toEqual({ [number]: DEFAULTS });
  });

  it('never hands out a number twice and answers pool-depleted when the pool is empty', async () => {
    const u = await userInArea(1);
    const neighbour = await h.user();
    await runAdminCommand(h.services, {
      op: 'user.set-area',
      user: neighbour.uuid,
      area: String(areaCounter),
    });
    expect(Object.keys(await create(u.sid))).toEqual(['status', u.pool[0]]);
    expect((await create(neighbour.sid)).status).toBe('pool-depleted');
    expect((await create(u.sid)).status).toBe('pool-depleted');
    // A number in use is not added to a pool again.
    expect(
      await runAdminCommand(h.services, { op: 'numbers.add', area: '999', numbers: [u.pool[0]!] }),
    ).toEqual({
      added: [],
    });
  });

  it('answers address-missing for a user without an area code', async () => {
    const u = await h.user();
    expect((await create(u.sid)).status).toBe('address-missing');
  });

  it('answers phone-limit once the user holds 10 numbers', async () => {
    const u = await userInArea(11);
    for (let i = 0; i < 10; i++) expect((await create(u.sid)).status).toBe('ok');
    expect((await create(u.sid)).status).toBe('phone-limit');
    expect(Object.keys(await list(u.sid))).toHaveLength(10);
  });

  it('answers concurrent-access while another node holds the create lock (Redis)', async () => {
    const u = await userInArea(3);
    const key = h.services.phones.createLockKey(u.uuid);
    await h.redis.set(key, 'other-node', 'PX', 5000);
    expect((await create(u.sid)).status).toBe('concurrent-access');
    expect(await list(u.sid)).toEqual({});
    expect(await h.redis.get(key)).toBe('other-node');
    await h.redis.del(key);
    expect((await create(u.sid)).status).toBe('ok');
    expect(await h.redis.get(key)).toBeNull();
  });

  it('serializes parallel creates: each answers ok or concurrent-access, numbers stay distinct', async () => {
    const u = await userInArea(3);
    const results = await Promise.all([create(u.sid), create(u.sid), create(u.sid)]);
    for (const r of results) expect(['ok', 'concurrent-access']).toContain(r.status);
    const oks = results.filter((r) => r.status === 'ok');
    expect(Object.keys(await list(u.sid)).sort()).toEqual(oks.map((r) => Object.keys(r)[1]).sort());
  });

  it('answers phone-forbidden for a user whose partner assigns the numbers', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    expect((await create(u.sid)).status).toBe('phone-forbidden');
  });
});

describe('POST /api/phone update/delete (spec 3.9)', () => {
  async function withNumbers(n: number) {
    const u = await userInArea(n);
    for (let i = 0; i < n; i++) await create(u.sid);
    for (const num of u.pool) {
      const code = (await list(u.sid))[num]!['unlock_code'] as string;
      await h.services.phones.unlock(num, code);
    }
    return u;
  }

  it('applies the spec example: flags, announcement, on_hold_music, ivr, dialplan', async () => {
    const u = await withNumbers(3);
    const [a, b, c] = u.pool as [string, string, string];
    const ann = await h.services.announcements.create(u.uuid, "John's personal announcement");
    const music = await h.services.announcements.create(u.uuid, 'music');
    // Rows of the dialplan v2 (spec 4.1) and IVR (spec 5.1) stores, as their APIs would write them.
    const ivr = newId();
    const dialplan = newId();
    const foreign = await h.user();
    const foreignIvr = newId();
    const foreignDialplan = newId();
    const row = (uuid: string, owner: string) => ({ uuid, owner, json: '{}', created_us: Date.now() * 1000 });
    await h.services.db
      .insertInto('ivrs')
      .values([row(ivr, u.uuid), row(foreignIvr, foreign.uuid)])
      .execute();
    await h.services.db
      .insertInto('dialplans_v2')
      .values([row(dialplan, u.uuid), row(foreignDialplan, foreign.uuid)])
      .execute();
    {
      const before = await h.services.nextEventId(u.sid);
      const res = await h.call('POST', '/api/phone', {
        sid: u.sid,
        body: {
          update: {
            [a]: {
              announcement: ann.uuid,
              conference_enable: false,
              notification_email: true,
              notification_attachment: true,
            },
            [b]: {
              announcement: ann.uuid,
              dialplan_enable: false,
              call_enable: false,
              fax_enable: true,
              recording_enable: true,
              play_announcement_only: true,
              conference_enable: false,
              notification_attachment: false,
              ivr,
            },
            [c]: {
              dialplan,
              notification_email: false,
              notification_attachment: false,
              on_hold_music: music.uuid,
            },
          },
        },
      });
      expect(res).toEqual({ status: 'ok' });
      const got = await list(u.sid);
      expect(got[a]).toEqual({
        ...DEFAULTS,
        announcement: { uuid: ann.uuid, description: "John's personal announcement" },
        conference_enable: false,
        notification_email: true,
        notification_attachment: true,
      });
      expect(got[b]).toEqual({
        ...DEFAULTS,
        announcement: { uuid: ann.uuid, description: "John's personal announcement" },
        play_announcement_only: true,
        conference_enable: false,
        ivr,
      });
      expect(got[c]).toEqual({ ...DEFAULTS, dialplan, on_hold_music: music.uuid });
      expect((await h.services.eventLog.read(u.sid, before)).map((e) => e.event)).toEqual(['phone_modify']);

      // An update without `announcement` deletes the binding; null removes ivr/dialplan/on_hold_music.
      await h.call('POST', '/api/phone', {
        sid: u.sid,
        body: { update: { [a]: {}, [b]: { ivr: null }, [c]: { dialplan: null, on_hold_music: null } } },
      });
      const after = await list(u.sid);
      expect(after[a]).toEqual({
        ...DEFAULTS,
        conference_enable: false,
        notification_email: true,
        notification_attachment: true,
      });
      expect(after[b]).toEqual({ ...DEFAULTS, play_announcement_only: true, conference_enable: false });
      expect(after[c]).toEqual(DEFAULTS);

      // Another user's dialplan / IVR looks like an unknown one.
      for (const id of [foreignDialplan, newId()]) {
        const r = await h.call('POST', '/api/phone', {
          sid: u.sid,
          body: { update: { [c]: { dialplan: id } } },
        });
        expect(r.status).toBe('wrong-dialplan');
      }
      for (const id of [foreignIvr, newId()]) {
        const r = await h.call('POST', '/api/phone', { sid: u.sid, body: { update: { [c]: { ivr: id } } } });
        expect(r.status).toBe('wrong-ivr');
      }
    }
  });

  it("answers wrong-announcement for another user's or an unknown announcement", async () => {
    const u = await withNumbers(1);
    const other = await h.user();
    const foreign = await h.services.announcements.create(other.uuid, 'not yours');
    for (const field of ['announcement', 'on_hold_music']) {
      for (const id of [foreign.uuid, newId()]) {
        const res = await h.call('POST', '/api/phone', {
          sid: u.sid,
          body: { update: { [u.pool[0]!]: { [field]: id } } },
        });
        expect(res.status, field).toBe('wrong-announcement');
      }
    }
  });

  it("answers wrong-phone for another user's or an unknown number, and changes nothing", async () => {
    const u = await withNumbers(2);
    const other = await withNumbers(1);
    const foreign = other.pool[0]!;
    const before = await list(u.sid);
    for (const body of [
      { update: { [u.pool[0]!]: { fax_enable: false }, [foreign]: { fax_enable: false } } },
      { update: { '+4900000000001': { fax_enable: false } } },
      { delete: [u.pool[0]!, foreign] },
      { create: true, delete: ['+4900000000001'] },
    ]) {
      expect((await h.call('POST', '/api/phone', { sid: u.sid, body })).status).toBe('wrong-phone');
    }
    expect(await list(u.sid)).toEqual(before);
    expect(Object.keys(await list(other.sid))).toEqual([foreign]);
  });

  it('deletes numbers', async () => {
    const u = await withNumbers(2);
    const res = await h.call('POST', '/api/phone', { sid: u.sid, body: { delete: [u.pool[0]!] } });
    expect(res).toEqual({ status: 'ok' });
    expect(Object.keys(await list(u.sid))).toEqual([u.pool[1]]);
  });

  it('answers wrong-syntax for bad values', async () => {
    const u = await withNumbers(1);
    const n = u.pool[0]!;
    const bodies: unknown[] = [
      { create: 'yes' },
      { update: { '0049221': {} } },
      { update: { '+49': {} } },
      { update: { [n]: { fax_enable: 'true' } } },
      { update: { [n]: { announcement: 'not-a-uuid' } } },
      { update: { [n]: { ivr: 17 } } },
      { update: { [n]: { dialplan: 'x' } } },
      { update: { [n]: { on_hold_music: 'x' } } },
      { update: { [n]: { p_asserted_identity: n } } },
      { update: { [n]: { nonsense: true } } },
      { update: [] },
      { delete: n },
      { delete: ['+49 221'] },
      { update: { [n]: {} }, delete: [n] },
    ];
    for (const body of bodies) {
      expect((await h.call('POST', '/api/phone', { sid: u.sid, body })).status, JSON.stringify(body)).toBe(
        'wrong-syntax',
      );
    }
  });

  it('answers no-session and no-auth', async () => {
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const p = await h.partner();
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', { create: true }],
    ] as const) {
      expect((await h.call(method, '/api/phone', { body })).status).toBe('no-session');
      expect((await h.call(method, '/api/phone', { sid: anon, body })).status).toBe('no-auth');
      expect((await h.call(method, '/api/phone', { sid: p.sid, body })).status).toBe('no-auth');
    }
  });
});

describe('admin numbers add / user set-area', () => {
  it('validates its input', async () => {
    await expect(
      runAdminCommand(h.services, { op: 'numbers.add', area: 'x', numbers: ['+49221'] }),
    ).rejects.toThrow();
    await expect(
      runAdminCommand(h.services, { op: 'numbers.add', area: '221', numbers: ['49221'] }),
    ).rejects.toThrow();
    await expect(
      runAdminCommand(h.services, { op: 'user.set-area', user: 'nosuchuser', area: '221' }),
    ).rejects.toThrow(/does not exist/);
  });
});

describe('deleting what a number uses', () => {
  it('deleting an IVR clears it from the numbers that used it and publishes phone_modify', async () => {
    const u = await userInArea(1);
    expect((await create(u.sid)).status).toBe('ok');
    const number = Object.keys(await list(u.sid))[0]!;
    const ann = (await h.services.announcements.create(u.uuid, 'menu')).uuid;
    const ivr = await h.call('POST', '/api/ivr', {
      sid: u.sid,
      body: { description: 'Menu', announcement: ann, '1': '+4922112345' },
    });
    expect(ivr.status).toBe('ok');
    expect(
      (await h.call('POST', '/api/phone', { sid: u.sid, body: { update: { [number]: { ivr: ivr.uuid } } } }))
        .status,
    ).toBe('ok');
    expect((await list(u.sid))[number]?.['ivr']).toBe(ivr.uuid);
    const next = (await h.call('GET', '/api/session', { sid: u.sid })).next_event;
    expect((await h.call('DELETE', `/api/ivr/${ivr.uuid}`, { sid: u.sid })).status).toBe('ok');
    expect((await list(u.sid))[number]?.['ivr']).toBeUndefined();
    const events = await h.call('GET', `/api/event?next=${next}&timeout=0`, { sid: u.sid });
    expect(events.event.map((e: { event: string }) => e.event)).toContain('phone_modify');
  });
});
