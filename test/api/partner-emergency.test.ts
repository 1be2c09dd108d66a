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

const url = (uuid: string) => `/api/partner/emergency/${uuid}`;

// spec 9.1.5: the request and response example.
const EXAMPLE = {
  uui_header: '001D73306138F193FFFF4A6F6C696F742D43757269652D5374722E',
  emergency_police: '221CC00',
  emergency_rescue: '221CC02',
};

describe('/api/partner/emergency (spec 9.1.5)', () => {
  it("stores the spec's example and returns it", async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    expect(await h.call('POST', url(u.uuid), { sid: p.sid, body: EXAMPLE })).toEqual({ status: 'ok' });
    expect(await h.call('GET', url(u.uuid), { sid: p.sid })).toEqual({ status: 'ok', ...EXAMPLE });
    // The call engine reads the same entry (upper-case UUIDs work too).
    expect(await h.services.policy.emergency.forUser(u.uuid)).toEqual(EXAMPLE);
    expect(await h.call('GET', url(u.uuid.toUpperCase()), { sid: p.sid })).toEqual({
      status: 'ok',
      ...EXAMPLE,
    });
  });

  it('answers {} for a user without an entry', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    expect(await h.call('GET', url(u.uuid), { sid: p.sid })).toEqual({ status: 'ok' });
  });

  it('changes only the given fields; an empty value deletes a field', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    await h.call('POST', url(u.uuid), { sid: p.sid, body: EXAMPLE });
    await h.call('POST', url(u.uuid), { sid: p.sid, body: { emergency_police: '221CC09' } });
    expect(await h.call('GET', url(u.uuid), { sid: p.sid })).toEqual({
      status: 'ok',
      ...EXAMPLE,
      emergency_police: '221CC09',
    });
    await h.call('POST', url(u.uuid), { sid: p.sid, body: { uui_header: '', emergency_rescue: '' } });
    expect(await h.call('GET', url(u.uuid), { sid: p.sid })).toEqual({
      status: 'ok',
      emergency_police: '221CC09',
    });
    await h.call('POST', url(u.uuid), { sid: p.sid, body: { emergency_police: '' } });
    expect(await h.call('GET', url(u.uuid), { sid: p.sid })).toEqual({ status: 'ok' });
    // No empty row is left behind.
    const rows = await h.services.db
      .selectFrom('emergency_entries')
      .selectAll()
      .where('user_uuid', '=', u.uuid)
      .execute();
    expect(rows).toEqual([]);
  });

  it('accepts values at the length limits', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const body = { uui_header: 'A'.repeat(200), emergency_police: '1'.repeat(10), emergency_rescue: 'x' };
    expect((await h.call('POST', url(u.uuid), { sid: p.sid, body })).status).toBe('ok');
    expect(await h.call('GET', url(u.uuid), { sid: p.sid })).toEqual({ status: 'ok', ...body });
  });

  it('answers wrong-syntax for bad values and changes nothing', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    await h.call('POST', url(u.uuid), { sid: p.sid, body: EXAMPLE });
    const bad: Array<Record<string, unknown>> = [
      { uui_header: 'A'.repeat(201) },
      { emergency_police: '12345678901' },
      { emergency_rescue: '12345678901' },
      { emergency_police: 110 },
      { emergency_rescue: null },
      { uui_header: ['x'] },
      { uui_header: 'line\nbreak' },
    ];
    for (const body of bad) {
      const res = await h.call('POST', url(u.uuid), { sid: p.sid, body });
      expect(res.status, JSON.stringify(body)).toBe('wrong-syntax');
    }
    expect((await h.call('POST', url(u.uuid), { sid: p.sid, body: '[1]' })).status).toBe('wrong-syntax');
    expect((await h.call('GET', url('not-a-uuid'), { sid: p.sid })).status).toBe('wrong-syntax');
    expect(await h.call('GET', url(u.uuid), { sid: p.sid })).toEqual({ status: 'ok', ...EXAMPLE });
  });

  it("answers wrong-user for unknown, deleted and other partners' users alike", async () => {
    const p = await h.partner();
    const other = await h.partner();
    const foreign = await h.user({ partner: other.name });
    const plain = await h.user();
    const gone = await h.user({ partner: p.name });
    await h.call('POST', `/api/partner/user/${gone.uuid}`, { sid: p.sid, body: { deleted: true } });
    await h.call('POST', url(foreign.uuid), { sid: other.sid, body: EXAMPLE });
    for (const uuid of [newId(), foreign.uuid, plain.uuid, gone.uuid]) {
      for (const [method, body] of [
        ['GET', undefined],
        ['POST', EXAMPLE],
      ] as const) {
        const res = await h.call(method, url(uuid), { sid: p.sid, body });
        expect(res.status).toBe('wrong-user');
        expect(res.message).toBe('the user does not exist or does not belong to the current partner');
      }
    }
    // The other partner's entry is untouched.
    expect(await h.call('GET', url(foreign.uuid), { sid: other.sid })).toEqual({ status: 'ok', ...EXAMPLE });
  });

  it('needs a partner session', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const anon = (await h.call('GET', '/api/session')).sid as string;
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', EXAMPLE],
    ] as const) {
      expect((await h.call(method, url(u.uuid), { body })).status).toBe('no-session');
      expect((await h.call(method, url(u.uuid), { sid: 'x'.repeat(30), body })).status).toBe('no-session');
      expect((await h.call(method, url(u.uuid), { sid: anon, body })).status).toBe('no-auth');
      expect((await h.call(method, url(u.uuid), { sid: u.sid, body })).status).toBe('no-auth');
    }
  });
});
