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

let seq = 1000;
/** Distinct numbers per test (the phone table is shared by the whole file). */
const num = (): string => `+4922166${String((seq += 1)).padStart(6, '0')}`;

const post = (sid: string, uuid: string, body: unknown) =>
  h.call('POST', `/api/partner/phone/${uuid}`, { sid, body });
const userPhones = async (sid: string) =>
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
};

describe('POST /api/partner/phone/(user-uuid) (spec 9.1.2)', () => {
  it('applies the spec example: create, update with p_asserted_identity, delete', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const [n1, n2, n3, n4] = [num(), num(), num(), num()];
    expect(await post(p.sid, u.uuid, { create: { [n2]: {}, [n3]: {}, [n4]: {} } })).toEqual({ status: 'ok' });

    const before = await h.services.nextEventId(u.sid);
    const res = await post(p.sid, u.uuid, {
      create: {
        [n1]: {
          dialplan_enable: true,
          call_enable: false,
          recording_enable: false,
          fax_enable: false,
          conference_enable: false,
          play_announcement_only: false,
          notification_email: true,
        },
      },
      update: {
        [n2]: { conference_enable: false, notification_email: true, notification_attachment: true },
        [n3]: { p_asserted_identity: n2 },
      },
      delete: [n4],
    });
    expect(res).toEqual({ status: 'ok' });
    expect((await h.services.eventLog.read(u.sid, before)).map((e) => e.event)).toEqual(['phone_modify']);

    // The user sees the numbers as partner-controlled and active (no unlock code).
    expect(await userPhones(u.sid)).toEqual({
      [n1]: {
        ...DEFAULTS,
        dialplan_enable: true,
        recording_enable: false,
        fax_enable: false,
        conference_enable: false,
        notification_email: true,
        partner: p.name,
        on_hold_music: null,
      },
      [n2]: {
        ...DEFAULTS,
        conference_enable: false,
        notification_email: true,
        notification_attachment: true,
        partner: p.name,
        on_hold_music: null,
      },
      [n3]: { ...DEFAULTS, partner: p.name, on_hold_music: null },
    });

    // GET /api/partner/user/(uuid) carries the phone section (spec 9.1.1).
    const view = await h.call('GET', `/api/partner/user/${u.uuid}`, { sid: p.sid });
    expect(Object.keys(view)).toEqual(['status', 'user', 'phone', 'feature']);
    expect(view.phone).toEqual({
      [n1]: {
        ...DEFAULTS,
        dialplan_enable: true,
        recording_enable: false,
        fax_enable: false,
        conference_enable: false,
        notification_email: true,
      },
      [n2]: {
        ...DEFAULTS,
        conference_enable: false,
        notification_email: true,
        notification_attachment: true,
      },
      [n3]: { ...DEFAULTS, p_asserted_identity: n2 },
    });

    // null removes p_asserted_identity; leaving it out keeps it.
    await post(p.sid, u.uuid, { update: { [n3]: { fax_enable: false } } });
    let again = await h.call('GET', `/api/partner/user/${u.uuid}`, { sid: p.sid });
    expect(again.phone[n3]).toEqual({ ...DEFAULTS, fax_enable: false, p_asserted_identity: n2 });
    await post(p.sid, u.uuid, { update: { [n3]: { p_asserted_identity: null } } });
    again = await h.call('GET', `/api/partner/user/${u.uuid}`, { sid: p.sid });
    expect(again.phone[n3]).toEqual({ ...DEFAULTS, fax_enable: false });
  });

  it('answers phone-duplicate for a number any user holds, and changes nothing', async () => {
    const p = await h.partner();
    const other = await h.partner();
    const u = await h.user({ partner: p.name });
    const v = await h.user({ partner: other.name });
    const taken = num();
    await post(other.sid, v.uuid, { create: { [taken]: {} } });
    const fresh = num();
    expect((await post(p.sid, u.uuid, { create: { [fresh]: {}, [taken]: {} } })).status).toBe(
      'phone-duplicate',
    );
    expect(await userPhones(u.sid)).toEqual({});
    await post(p.sid, u.uuid, { create: { [fresh]: {} } });
    expect((await post(p.sid, u.uuid, { create: { [fresh]: {} } })).status).toBe('phone-duplicate');
  });

  it("answers wrong-phone for another user's or an unknown number", async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const w = await h.user({ partner: p.name });
    const mine = num();
    const theirs = num();
    await post(p.sid, u.uuid, { create: { [mine]: {} } });
    await post(p.sid, w.uuid, { create: { [theirs]: {} } });
    for (const body of [
      { update: { [theirs]: { fax_enable: false } } },
      { delete: [theirs] },
      { update: { [num()]: {} } },
      { delete: [mine, num()] },
    ]) {
      expect((await post(p.sid, u.uuid, body)).status).toBe('wrong-phone');
    }
    expect(Object.keys(await userPhones(u.sid))).toEqual([mine]);
    expect(Object.keys(await userPhones(w.sid))).toEqual([theirs]);
  });

  it('answers phone-forbidden without the phone_control right, and leaves the phone section out', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    await h.services.db
      .updateTable('partners')
      .set({ phone_control: false })
      .where('id', '=', p.id)
      .execute();
    expect((await post(p.sid, u.uuid, { create: { [num()]: {} } })).status).toBe('phone-forbidden');
    const view = await h.call('GET', `/api/partner/user/${u.uuid}`, { sid: p.sid });
    expect(Object.keys(view)).toEqual(['status', 'user', 'feature']);
  });

  it("answers wrong-user for another partner's, a deleted and an unknown user", async () => {
    const p = await h.partner();
    const other = await h.partner();
    const foreign = await h.user({ partner: other.name });
    const plain = await h.user();
    const gone = await h.user({ partner: p.name });
    await h.call('POST', `/api/partner/user/${gone.uuid}`, { sid: p.sid, body: { deleted: true } });
    for (const uuid of [foreign.uuid, plain.uuid, gone.uuid, newId()]) {
      expect((await post(p.sid, uuid, { create: { [num()]: {} } })).status).toBe('wrong-user');
    }
    expect(await userPhones(foreign.sid)).toEqual({});
  });

  it('answers wrong-syntax for bad values', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const n = num();
    await post(p.sid, u.uuid, { create: { [n]: {} } });
    for (const body of [
      { create: { '0221': {} } },
      { create: { [num()]: { fax_enable: 1 } } },
      { create: { [num()]: { announcement: newId() } } },
      { update: { [n]: { on_hold_music: null } } },
      { update: { [n]: { p_asserted_identity: '0221' } } },
      { update: { [n]: { p_asserted_identity: 17 } } },
      { delete: ['+4'] },
      { create: { [n]: {} }, delete: [n] },
    ]) {
      expect((await post(p.sid, u.uuid, body)).status, JSON.stringify(body)).toBe('wrong-syntax');
    }
    expect((await post(p.sid, 'not-a-uuid', {})).status).toBe('wrong-syntax');
  });
});

describe('GET /api/partner/phone (spec 9.1.2)', () => {
  it("lists only the partner's users' numbers, ordered by number, paged by start/count", async () => {
    const p = await h.partner();
    const other = await h.partner();
    const a = await h.user({ partner: p.name });
    const b = await h.user({ partner: p.name });
    const x = await h.user({ partner: other.name });
    const [n1, n2, n3, n4] = [num(), num(), num(), num()];
    await post(p.sid, a.uuid, { create: { [n3]: {}, [n1]: {} } });
    await post(p.sid, b.uuid, { create: { [n2]: {} } });
    await post(other.sid, x.uuid, { create: { [n4]: {} } });

    const all = await h.call('GET', '/api/partner/phone', { sid: p.sid });
    expect(all).toEqual({ status: 'ok', phones: { [n1]: a.uuid, [n2]: b.uuid, [n3]: a.uuid } });
    expect(Object.keys(all.phones)).toEqual([n1, n2, n3]);
    const page = await h.call('GET', '/api/partner/phone', { sid: p.sid, query: { start: n1, count: '1' } });
    expect(page.phones).toEqual({ [n2]: b.uuid });
    const rest = await h.call('GET', '/api/partner/phone', { sid: p.sid, query: { start: n2 } });
    expect(rest.phones).toEqual({ [n3]: a.uuid });
    expect((await h.call('GET', '/api/partner/phone', { sid: p.sid, query: { start: n3 } })).phones).toEqual(
      {},
    );
  });

  it('answers wrong-syntax for bad paging parameters', async () => {
    const p = await h.partner();
    const queries: Array<Record<string, string>> = [
      { count: '0' },
      { count: '501' },
      { count: 'ten' },
      { start: '0221' },
    ];
    for (const query of queries) {
      expect(
        (await h.call('GET', '/api/partner/phone', { sid: p.sid, query })).status,
        JSON.stringify(query),
      ).toBe('wrong-syntax');
    }
  });

  it('answers no-session and no-auth for non-partner sessions', async () => {
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const u = await h.user();
    const routes = [
      ['GET', '/api/partner/phone', undefined],
      ['POST', `/api/partner/phone/${u.uuid}`, {}],
    ] as const;
    for (const [method, url, body] of routes) {
      expect((await h.call(method, url, { body })).status).toBe('no-session');
      expect((await h.call(method, url, { sid: anon, body })).status).toBe('no-auth');
      expect((await h.call(method, url, { sid: u.sid, body })).status).toBe('no-auth');
    }
  });
});
