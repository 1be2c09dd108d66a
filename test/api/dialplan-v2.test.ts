import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
let joe: TestUser;
/** Placeholder announcement UUIDs of the fixtures → the test user's own announcements. */
const annMap = new Map<string, string>();

const DIR = path.join(import.meta.dirname, '../../dialplans');
const FIXTURE_ANNOUNCEMENTS = [
  '91e85f5c-b9eb-11e1-8b7e-0024e8f90cc0',
  'b6774686-2bc5-4af0-9dbf-33f4427adbd9',
];
const DIALPLAN_FILES = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && !f.startsWith('ivr') && !f.includes('ivr'));

/** A fixture file's text with placeholder announcements replaced (key order untouched). */
const fixture = (file: string): string => {
  let text = fs.readFileSync(path.join(DIR, file), 'utf8');
  for (const [from, to] of annMap) text = text.replaceAll(from, to);
  return text;
};
const body = (file: string) => JSON.parse(fixture(file)) as { dialplan: Record<string, any> };

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
  joe = await h.user({ username: 'joe' });
  for (let i = 1; i <= 8; i++) {
    const r = await h.call('POST', '/api/sip', { sid: joe.sid, body: { password: 'secret' } });
    expect(r.user).toBe(`joe_0${i}`);
  }
  for (const a of FIXTURE_ANNOUNCEMENTS)
    annMap.set(a, (await h.services.announcements.create(joe.uuid, a)).uuid);
});
afterAll(async () => {
  await h?.close();
});

const create = async (b: unknown, sid = joe.sid) => h.call('POST', '/api/dialplan/v2', { sid, body: b });
const withProfile = (profile: unknown) => ({ dialplan: { description: 't', profiles: [profile] } });

describe('dialplans/ fixtures (spec 4.1 examples and realistic ones)', () => {
  it('finds the fixture files', () => {
    expect(DIALPLAN_FILES).toEqual(
      expect.arrayContaining(['spec-dialplan-v2.json', 'office-hours.json', 'hunt-group-cyclic.json']),
    );
  });

  for (const file of DIALPLAN_FILES) {
    it(`${file}: creates and returns the exact JSON (round trip)`, async () => {
      const res = await create(body(file));
      expect(res.status, JSON.stringify(res)).toBe('ok');
      expect(res.uuid).toMatch(/^[0-9a-f-]{36}$/);
      const raw = await h.app.inject({
        method: 'GET',
        url: `/api/dialplan/v2/${res.uuid}`,
        headers: { authorization: `Bearer ${joe.sid}` },
      });
      const got = raw.json();
      expect(got.status).toBe('ok');
      // Same content and the same key order as sent.
      expect(JSON.stringify(got.dialplan)).toBe(JSON.stringify(body(file).dialplan));
    });
  }
});

describe('GET/POST/DELETE /api/dialplan/v2 (spec 4.1)', () => {
  it('lists uuid and description in creation order', async () => {
    const u = await h.user();
    const a = (await create({ dialplan: { description: 'Holidays', profiles: [{ reject: {} }] } }, u.sid))
      .uuid;
    const b = (await create({ dialplan: { profiles: [] } }, u.sid)).uuid;
    expect(await h.call('GET', '/api/dialplan/v2', { sid: u.sid })).toEqual({
      status: 'ok',
      dialplan: [{ uuid: a, description: 'Holidays' }, { uuid: b }],
    });
  });

  it('modifies with the spec example and deletes', async () => {
    const { uuid } = await create(body('spec-dialplan-v2-busy-season.json'));
    expect(
      await h.call('POST', `/api/dialplan/v2/${uuid}`, {
        sid: joe.sid,
        body: body('spec-dialplan-v2-holidays.json'),
      }),
    ).toEqual({
      status: 'ok',
    });
    expect((await h.call('GET', `/api/dialplan/v2/${uuid}`, { sid: joe.sid })).dialplan).toEqual(
      body('spec-dialplan-v2-holidays.json').dialplan,
    );
    expect(await h.call('DELETE', `/api/dialplan/v2/${uuid}`, { sid: joe.sid })).toEqual({ status: 'ok' });
    for (const [m, b] of [['GET'], ['DELETE'], ['POST', body('spec-dialplan-v2-holidays.json')]] as const) {
      expect((await h.call(m, `/api/dialplan/v2/${uuid}`, { sid: joe.sid, body: b })).status).toBe(
        'wrong-dialplan',
      );
    }
  });

  it('removes a deleted dialplan from the phones that use it (phone_modify)', async () => {
    const { uuid } = await create(body('spec-dialplan-v2-busy-season.json'));
    // The phone as the phone API (migration 007) stores it; the other columns keep their defaults.
    await sql`insert into phones (number, user_uuid, dialplan, created_us)
      values ('+4922199990001', ${joe.uuid}, ${uuid}, ${Date.now() * 1000})`.execute(h.services.db);
    expect((await h.call('DELETE', `/api/dialplan/v2/${uuid}`, { sid: joe.sid })).status).toBe('ok');
    const phone = await h.services.db
      .selectFrom('phones')
      .select('dialplan')
      .where('number', '=', '+4922199990001')
      .executeTakeFirstOrThrow();
    expect(phone.dialplan).toBeNull();
    const events = await h.services.eventLog.read(joe.sid, 0);
    expect(events.filter((e) => e.event === 'phone_modify').length).toBeGreaterThan(0);
  });

  it('refuses bad values per field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'missing-element'],
      [{ dialplan: 'x' }, 'wrong-syntax'],
      [{ dialplan: { description: 'd'.repeat(201) } }, 'wrong-syntax'],
      [{ dialplan: { unknown: 1 } }, 'wrong-syntax'],
      [{ dialplan: { ringtone: { announcement: 'nope' } } }, 'wrong-syntax'],
      [{ dialplan: { ringtone: { mix: 'yes' } } }, 'wrong-syntax'],
      [{ dialplan: { profiles: {} } }, 'wrong-syntax'],
      [withProfile({}), 'missing-element'],
      [withProfile({ filter: {} }), 'missing-element'],
      [withProfile({ reject: {}, record: {} }), 'wrong-syntax'],
      [withProfile({ reject: { x: 1 } }), 'wrong-syntax'],
      [withProfile({ parallel: {} }), 'missing-element'],
      [withProfile({ parallel: { targets: [] } }), 'wrong-syntax'],
      [withProfile({ parallel: { targets: ['0221123'] } }), 'wrong-syntax'],
      [withProfile({ parallel: { targets: ['Joe_01'] } }), 'wrong-syntax'],
      [withProfile({ parallel: { timeout: 1.5, targets: ['+49221123'] } }), 'wrong-syntax'],
      [withProfile({ linear: { targets: ['+49221123'] } }), 'wrong-syntax'],
      [withProfile({ linear: { targets: [{ timeout: 3 }] } }), 'missing-element'],
      [withProfile({ cyclic: { targets: [{ target: '+49221123', timeout: 'x' }] } }), 'wrong-syntax'],
      [withProfile({ record: { announcement: 'x' } }), 'wrong-syntax'],
      [withProfile({ reject: {}, filter: { caller: 'a'.repeat(501) } }), 'wrong-syntax'],
      [withProfile({ reject: {}, filter: { caller: '(unclosed' } }), 'wrong-syntax'],
      [withProfile({ reject: {}, filter: { caller: '(?<=x)y' } }), 'wrong-syntax'],
      [withProfile({ reject: {}, filter: { time: { weekdays: ['MONDAY'] } } }), 'wrong-syntax'],
      [withProfile({ reject: {}, filter: { time: { date: '2015-06-11' } } }), 'wrong-syntax'],
      [withProfile({ reject: {}, filter: { time: { date: '31.02.2015' } } }), 'wrong-syntax'],
      [withProfile({ reject: {}, filter: { time: { date_start: '1.6.2015' } } }), 'wrong-syntax'],
      [
        withProfile({ reject: {}, filter: { time: { date_start: '02.01.2016', date_end: '01.01.2016' } } }),
        'wrong-syntax',
      ],
      [withProfile({ reject: {}, filter: { time: { time_start: '24:00' } } }), 'wrong-syntax'],
      [withProfile({ reject: {}, filter: { time: { time_end: '7:30' } } }), 'wrong-syntax'],
      [withProfile({ reject: {}, filter: { time: { time_end: '07:60' } } }), 'wrong-syntax'],
      [withProfile({ reject: {}, filter: { time: { other: 1 } } }), 'wrong-syntax'],
    ];
    for (const [b, status] of cases) {
      expect((await create(b)).status, JSON.stringify(b)).toBe(status);
    }
    // The accepted edges of the same fields.
    const ok = [
      withProfile({ reject: {}, filter: { caller: 'a'.repeat(500) } }),
      withProfile({
        reject: {},
        filter: { time: { date: '29.02.2016', time_start: '23:59', time_end: '00:00' } },
      }),
      withProfile({ parallel: { timeout: -1, targets: ['+12345678901234567890', '+491'] } }),
      withProfile({ reject: {}, filter: { time: { date_start: '01.01.2016', date_end: '01.01.2016' } } }),
    ];
    for (const b of ok) expect((await create(b)).status, JSON.stringify(b)).toBe('ok');
  });

  it("refuses another user's announcements and SIP accounts (and unknown ones) like unknown ones", async () => {
    const eve = await h.user();
    const eveAnn = (await h.services.announcements.create(eve.uuid, 'eve')).uuid;
    const eveSip = (await h.call('POST', '/api/sip', { sid: eve.sid, body: { password: 'secret' } }))
      .user as string;
    const cases: [unknown, string][] = [
      [{ dialplan: { ringtone: { announcement: eveAnn } } }, 'wrong-announcement'],
      [withProfile({ record: { announcement: eveAnn } }), 'wrong-announcement'],
      [
        withProfile({ record: { announcement: '00000000-0000-1000-8000-000000000000' } }),
        'wrong-announcement',
      ],
      [withProfile({ parallel: { targets: [eveSip] } }), 'wrong-sip'],
      [withProfile({ linear: { targets: [{ target: 'joe_09' }] } }), 'wrong-sip'],
      [withProfile({ cyclic: { targets: [{ target: 'joe_01' }, { target: eveSip }] } }), 'wrong-sip'],
    ];
    for (const [b, status] of cases) expect((await create(b)).status, JSON.stringify(b)).toBe(status);
    // The same references are fine for their owner.
    expect((await create(withProfile({ parallel: { targets: [eveSip] } }), eve.sid)).status).toBe('ok');
  });

  it("treats another user's dialplan exactly like an unknown one", async () => {
    const { uuid } = await create(body('spec-dialplan-v2-busy-season.json'));
    const eve = await h.user();
    const unknown = '00000000-0000-1000-8000-000000000000';
    for (const id of [uuid, unknown]) {
      expect((await h.call('GET', `/api/dialplan/v2/${id}`, { sid: eve.sid })).status).toBe('wrong-dialplan');
      expect(
        (await h.call('POST', `/api/dialplan/v2/${id}`, { sid: eve.sid, body: { dialplan: {} } })).status,
      ).toBe('wrong-dialplan');
      expect((await h.call('DELETE', `/api/dialplan/v2/${id}`, { sid: eve.sid })).status).toBe(
        'wrong-dialplan',
      );
    }
    expect((await h.call('GET', '/api/dialplan/v2', { sid: eve.sid })).dialplan).toEqual([]);
    expect((await h.call('GET', `/api/dialplan/v2/${uuid}`, { sid: joe.sid })).status).toBe('ok');
    expect((await h.call('GET', '/api/dialplan/v2/not-a-uuid', { sid: joe.sid })).status).toBe(
      'wrong-syntax',
    );
  });

  it('authorization: no-session and no-auth', async () => {
    const id = '00000000-0000-1000-8000-000000000000';
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/dialplan/v2'],
      ['POST', '/api/dialplan/v2', { dialplan: {} }],
      ['GET', `/api/dialplan/v2/${id}`],
      ['POST', `/api/dialplan/v2/${id}`, { dialplan: {} }],
      ['DELETE', `/api/dialplan/v2/${id}`],
    ];
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const partner = await h.partner();
    for (const [method, url, b] of calls) {
      expect((await h.call(method as 'GET', url, { body: b })).status, `${method} ${url}`).toBe('no-session');
      for (const sid of [anon, partner.sid]) {
        expect((await h.call(method as 'GET', url, { body: b, sid })).status, `${method} ${url}`).toBe(
          'no-auth',
        );
      }
    }
  });
});
