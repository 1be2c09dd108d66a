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

type Partner = Awaited<ReturnType<Harness['partner']>>;

/** spec 10 response example entries (and the entry its `next` points at). */
const SPEC_ENTRIES = [
  { phone: '+492216698712', name: 'John Doe' },
  { phone: '+492216698713', name: 'Jane Doe' },
  { phone: '+492216698714', name: 'Max Mustermann' },
];

const newGroup = async (p: Partner): Promise<string> =>
  (await h.call('POST', '/api/partner/usergroup', { sid: p.sid, body: {} })).group_uuid;
const newEnterprise = async (p: Partner): Promise<string> =>
  (await h.call('POST', '/api/partner/enterprise', { sid: p.sid, body: {} })).enterprise_uuid;

interface Table {
  label: string;
  /** Makes a fresh table; returns its base URL and the sid that may use it. */
  make(): Promise<{ base: string; sid: string; foreignSid: string; wrong: string; unknownBase: string }>;
}

const tables: Table[] = [
  {
    label: 'user (spec 10.1)',
    make: async () => {
      const u = await h.user();
      const other = await h.user();
      return { base: '/api/user/cnam', sid: u.sid, foreignSid: other.sid, wrong: '', unknownBase: '' };
    },
  },
  {
    label: 'usergroup (spec 10.2)',
    make: async () => {
      const p = await h.partner();
      const other = await h.partner();
      const g = await newGroup(p);
      return {
        base: `/api/partner/usergroup/${g}/cnam`,
        sid: p.sid,
        foreignSid: other.sid,
        wrong: 'wrong-usergroup',
        unknownBase: `/api/partner/usergroup/${newId()}/cnam`,
      };
    },
  },
  {
    label: 'enterprise (spec 10.3)',
    make: async () => {
      const p = await h.partner();
      const other = await h.partner();
      const e = await newEnterprise(p);
      return {
        base: `/api/partner/enterprise/${e}/cnam`,
        sid: p.sid,
        foreignSid: other.sid,
        wrong: 'wrong-enterprise',
        unknownBase: `/api/partner/enterprise/${newId()}/cnam`,
      };
    },
  },
];

for (const table of tables) {
  describe(`CNAM table of a ${table.label}`, () => {
    it("stores entries and pages them by phone number like the spec's example", async () => {
      const t = await table.make();
      expect(await h.call('GET', t.base, { sid: t.sid })).toEqual({ status: 'ok', cnam: [], next: null });
      // Inserted out of order; listed by phone.
      for (const e of [...SPEC_ENTRIES].reverse()) {
        expect(await h.call('POST', `${t.base}/${e.phone}`, { sid: t.sid, body: { name: e.name } })).toEqual({
          status: 'ok',
        });
      }
      expect(await h.call('GET', t.base, { sid: t.sid, query: { count: '2' } })).toEqual({
        status: 'ok',
        cnam: SPEC_ENTRIES.slice(0, 2),
        next: '+492216698714',
      });
      expect(
        await h.call('GET', t.base, { sid: t.sid, query: { next: '+492216698714', count: '2' } }),
      ).toEqual({
        status: 'ok',
        cnam: SPEC_ENTRIES.slice(2),
        next: null,
      });
      // `next` need not be an existing entry: paging starts at the first phone >= next.
      expect((await h.call('GET', t.base, { sid: t.sid, query: { next: '+492216698713' } })).cnam).toEqual(
        SPEC_ENTRIES.slice(1),
      );
      expect(await h.call('GET', t.base, { sid: t.sid })).toEqual({
        status: 'ok',
        cnam: SPEC_ENTRIES,
        next: null,
      });
    });

    it('modifies an existing entry, deletes it, and answers wrong-cnam for a missing one', async () => {
      const t = await table.make();
      await h.call('POST', `${t.base}/+492216698712`, { sid: t.sid, body: { name: 'John Doe' } });
      await h.call('POST', `${t.base}/%2B492216698712`, { sid: t.sid, body: { name: 'J. Doe' } });
      expect((await h.call('GET', t.base, { sid: t.sid })).cnam).toEqual([
        { phone: '+492216698712', name: 'J. Doe' },
      ]);
      expect(await h.call('DELETE', `${t.base}/+492216698712`, { sid: t.sid })).toEqual({ status: 'ok' });
      expect(await h.call('DELETE', `${t.base}/+492216698712`, { sid: t.sid })).toEqual({
        status: 'wrong-cnam',
        message: 'the given CNAM entry does not exist',
      });
      expect((await h.call('GET', t.base, { sid: t.sid })).cnam).toEqual([]);
    });

    it('accepts the whole spec character set and rejects anything else', async () => {
      const t = await table.make();
      const all = "AZaz09&'()*+,-./:;@[]_ x";
      expect((await h.call('POST', `${t.base}/+4930123`, { sid: t.sid, body: { name: all } })).status).toBe(
        'ok',
      );
      expect(
        (await h.call('POST', `${t.base}/+4930124`, { sid: t.sid, body: { name: 'n'.repeat(100) } })).status,
      ).toBe('ok');
      for (const name of [
        'Müller',
        'a"b',
        'a\\b',
        'a<b',
        'a!',
        'a#',
        'tab\t',
        '',
        'n'.repeat(101),
        5,
        null,
      ]) {
        const res = await h.call('POST', `${t.base}/+4930125`, { sid: t.sid, body: { name } });
        expect(res.status, JSON.stringify(name)).toBe('wrong-syntax');
      }
      expect((await h.call('POST', `${t.base}/+4930125`, { sid: t.sid, body: {} })).status).toBe(
        'missing-element',
      );
      expect((await h.call('GET', t.base, { sid: t.sid })).cnam).toEqual([
        { phone: '+4930123', name: all },
        { phone: '+4930124', name: 'n'.repeat(100) },
      ]);
    });

    it('answers wrong-syntax for phone numbers not in E.164 and for bad paging', async () => {
      const t = await table.make();
      for (const phone of ['492216698712', '+0221', '+49221669871234567', '+49 221', 'abc', '%2B49x']) {
        for (const method of ['POST', 'DELETE'] as const) {
          const res = await h.call(method, `${t.base}/${phone}`, { sid: t.sid, body: { name: 'x' } });
          expect(res.status, `${method} ${phone}`).toBe('wrong-syntax');
        }
      }
      const bad: Array<Record<string, string>> = [
        { count: '0' },
        { count: '501' },
        { count: 'ten' },
        { next: '0221' },
        { next: '' },
      ];
      for (const query of bad) {
        expect((await h.call('GET', t.base, { sid: t.sid, query })).status, JSON.stringify(query)).toBe(
          'wrong-syntax',
        );
      }
      const max = await h.call('GET', t.base, { sid: t.sid, query: { count: '500' } });
      expect(max.status).toBe('ok');
    });

    it('is invisible to others', async () => {
      const t = await table.make();
      await h.call('POST', `${t.base}/+4930123`, { sid: t.sid, body: { name: 'Mine' } });
      if (t.wrong === '') {
        // Another user has a table of its own at the same URL.
        expect(await h.call('GET', t.base, { sid: t.foreignSid })).toEqual({
          status: 'ok',
          cnam: [],
          next: null,
        });
        expect((await h.call('DELETE', `${t.base}/+4930123`, { sid: t.foreignSid })).status).toBe(
          'wrong-cnam',
        );
      } else {
        const expected = {
          status: t.wrong,
          message: expect.stringContaining('does not belong to the partner'),
        };
        for (const [sid, base] of [
          [t.foreignSid, t.base],
          [t.sid, t.unknownBase],
        ] as const) {
          expect(await h.call('GET', base, { sid })).toEqual(expected);
          expect(await h.call('POST', `${base}/+4930123`, { sid, body: { name: 'Theirs' } })).toEqual(
            expected,
          );
          expect(await h.call('DELETE', `${base}/+4930123`, { sid })).toEqual(expected);
        }
      }
      expect((await h.call('GET', t.base, { sid: t.sid })).cnam).toEqual([
        { phone: '+4930123', name: 'Mine' },
      ]);
    });

    it('needs the right kind of session', async () => {
      const t = await table.make();
      const anon = (await h.call('GET', '/api/session')).sid as string;
      // A user table needs a user; partner tables need a partner.
      const wrongKind = t.wrong === '' ? (await h.partner()).sid : (await h.user()).sid;
      for (const [method, url, body] of [
        ['GET', t.base, undefined],
        ['POST', `${t.base}/+4930123`, { name: 'x' }],
        ['DELETE', `${t.base}/+4930123`, undefined],
      ] as const) {
        expect((await h.call(method, url, { body })).status).toBe('no-session');
        expect((await h.call(method, url, { sid: anon, body })).status).toBe('no-auth');
        expect((await h.call(method, url, { sid: wrongKind, body })).status).toBe('no-auth');
      }
      expect((await h.call('GET', t.base, { sid: t.sid })).cnam).toEqual([]);
    });
  });
}

describe('calling name lookup for the call engine (spec 10)', () => {
  it("takes the user's table first, then its usergroup's, then its enterprise's", async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const g = await newGroup(p);
    const e = await newEnterprise(p);
    await h.call('POST', `/api/partner/usergroup/${g}/user`, {
      sid: p.sid,
      body: { users: { add: [u.uuid] } },
    });
    await h.call('POST', `/api/partner/enterprise/${e}/usergroup`, {
      sid: p.sid,
      body: { usergroups: { add: [g] } },
    });
    const put = (base: string, sid: string, phone: string, name: string) =>
      h.call('POST', `${base}/${phone}`, { sid, body: { name } });
    await put(`/api/partner/enterprise/${e}/cnam`, p.sid, '+491', 'Enterprise 1');
    await put(`/api/partner/enterprise/${e}/cnam`, p.sid, '+492', 'Enterprise 2');
    await put(`/api/partner/enterprise/${e}/cnam`, p.sid, '+493', 'Enterprise 3');
    await put(`/api/partner/usergroup/${g}/cnam`, p.sid, '+492', 'Group 2');
    await put(`/api/partner/usergroup/${g}/cnam`, p.sid, '+493', 'Group 3');
    await put('/api/user/cnam', u.sid, '+493', 'User 3');
    const lookup = (phone: string) => h.services.policy.cnam.lookup(u.uuid, phone);
    expect(await lookup('+491')).toEqual({ name: 'Enterprise 1', scope: 'enterprise' });
    expect(await lookup('+492')).toEqual({ name: 'Group 2', scope: 'usergroup' });
    expect(await lookup('+493')).toEqual({ name: 'User 3', scope: 'user' });
    expect(await lookup('+494')).toBeNull();
    // Another user (no group) sees none of it.
    const stranger = await h.user({ partner: p.name });
    expect(await h.services.policy.cnam.lookup(stranger.uuid, '+493')).toBeNull();
  });
});
