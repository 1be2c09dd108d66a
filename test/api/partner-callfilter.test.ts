import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateCallFilter } from '../../src/domain/policy/call-filter.js';
import { newId } from '../../src/lib/ids.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
});
afterAll(async () => {
  await h?.close();
});

const url = (uuid: string) => `/api/partner/callfilter/${uuid}`;

const FIXED = '^(\\+49[2-8][0-9]{3,16})|(\\+499[1-9][0-9]{3,15})|(\\+4990[1-9][0-9]{3,14})$';

/** spec 9.1.3 POST request example (joined across its page break). */
const SPEC_FILTER = [
  { operator: 'replace', key: '^00', value: '+' },
  { operator: 'replace', key: '^0', value: '+49' },
  { operator: 'replace', key: '^+4911', value: '11' },
  [
    { operator: 'service', key: 'sip', reverse: true, break: true },
    { operator: 'match', key: '^\\+492216698711$', pass: false },
    { operator: 'match', key: '^\\+492216698499$', pass: false },
    { operator: 'match', key: FIXED, pass: true },
    { operator: 'match', key: '^[1]{2}[0-7][0-9]{0,3}$', pass: true },
  ],
  [
    { operator: 'service', key: 'fax', reverse: true, break: true },
    { operator: 'match', key: FIXED, pass: true },
  ],
  { operator: 'match', key: '.*', pass: false },
];

/** spec 9.1.3 GET response example: a single operator. */
const SPEC_GET_FILTER = { operator: 'match', key: '.+', pass: false };

const op = (i: number) => ({ operator: 'match', key: `^\\+49${i}`, pass: false });

describe('POST/GET/DELETE /api/partner/callfilter (spec 9.1.3)', () => {
  it("stores the spec's example, returns it unchanged and the engine applies it", async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    expect(await h.call('POST', url(u.uuid), { sid: p.sid, body: { callfilter: SPEC_FILTER } })).toEqual({
      status: 'ok',
    });
    expect(await h.call('GET', url(u.uuid), { sid: p.sid })).toEqual({
      status: 'ok',
      callfilter: SPEC_FILTER,
    });

    // What the call engine gets: the parsed filter with the spec text's outcomes.
    const filter = (await h.services.policy.callFilters.forUser(u.uuid))!;
    expect(evaluateCallFilter(filter, { number: '02216698711', service: 'sip' })).toEqual({
      allowed: false,
      number: '+492216698711',
    });
    expect(evaluateCallFilter(filter, { number: '0221123456', service: 'sip' })).toEqual({
      allowed: true,
      number: '+49221123456',
    });
    expect(evaluateCallFilter(filter, { number: '112', service: 'sip' }).allowed).toBe(true);
    expect(evaluateCallFilter(filter, { number: '0221123456', service: 'fax' }).allowed).toBe(true);
    expect(evaluateCallFilter(filter, { number: '0221123456', service: 'ivr' }).allowed).toBe(false);
    expect(evaluateCallFilter(filter, { number: '00441234567', service: 'sip' })).toEqual({
      allowed: false,
      number: '+441234567',
    });
  });

  it('accepts a single operator (the GET example) and replaces an existing filter', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    await h.call('POST', url(u.uuid), { sid: p.sid, body: { callfilter: SPEC_FILTER } });
    await h.call('POST', url(u.uuid), { sid: p.sid, body: { callfilter: SPEC_GET_FILTER } });
    expect(await h.call('GET', url(u.uuid), { sid: p.sid })).toEqual({
      status: 'ok',
      callfilter: SPEC_GET_FILTER,
    });
  });

  it('answers empty-filter for a user without a filter and after DELETE', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const none = await h.call('GET', url(u.uuid), { sid: p.sid });
    expect(none.status).toBe('empty-filter');
    await h.call('POST', url(u.uuid), { sid: p.sid, body: { callfilter: SPEC_FILTER } });
    expect(await h.call('DELETE', url(u.uuid), { sid: p.sid })).toEqual({ status: 'ok' });
    expect((await h.call('GET', url(u.uuid), { sid: p.sid })).status).toBe('empty-filter');
    expect(await h.services.policy.callFilters.forUser(u.uuid)).toBeNull();
    // Deleting again is fine.
    expect(await h.call('DELETE', url(u.uuid), { sid: p.sid })).toEqual({ status: 'ok' });
  });

  it('answers empty-filter for a filter without any operator', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    for (const callfilter of [[], [[]], [[], [[]]]]) {
      const res = await h.call('POST', url(u.uuid), { sid: p.sid, body: { callfilter } });
      expect(res.status, JSON.stringify(callfilter)).toBe('empty-filter');
    }
    expect((await h.call('GET', url(u.uuid), { sid: p.sid })).status).toBe('empty-filter');
  });

  it('takes 250 operators and answers too-large for 251, counting nested ones', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const max = Array.from({ length: 250 }, (_, i) => op(i));
    expect((await h.call('POST', url(u.uuid), { sid: p.sid, body: { callfilter: max } })).status).toBe('ok');
    const over = [...max.slice(0, 200), max.slice(200), op(250)];
    const res = await h.call('POST', url(u.uuid), { sid: p.sid, body: { callfilter: over } });
    expect(res.status).toBe('too-large');
    // The stored filter is still the previous one.
    expect((await h.call('GET', url(u.uuid), { sid: p.sid })).callfilter).toEqual(max);
  });

  it('answers wrong-syntax or missing-element for bad operators', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const cases: Array<[unknown, string]> = [
      [{ operator: 'drop', key: 'x', pass: true }, 'wrong-syntax'],
      [{ key: 'x', pass: true }, 'missing-element'],
      [{ operator: 'replace', key: '^0' }, 'missing-element'],
      [{ operator: 'replace', key: '^0', value: 49 }, 'wrong-syntax'],
      [{ operator: 'replace', key: '^0', value: '+49', pass: true }, 'wrong-syntax'],
      [{ operator: 'match', key: '^0' }, 'missing-element'],
      [{ operator: 'match', key: '^0', pass: true, break: true }, 'wrong-syntax'],
      [{ operator: 'match', key: '(unclosed', pass: true }, 'wrong-syntax'],
      [{ operator: 'match', key: '^0', pass: 'yes' }, 'wrong-syntax'],
      [{ operator: 'match', key: '^0', pass: true, reverse: 1 }, 'wrong-syntax'],
      [{ operator: 'service', key: 'telex', pass: true }, 'wrong-syntax'],
      [{ operator: 'match', key: 42, pass: true }, 'wrong-syntax'],
      ['match', 'wrong-syntax'],
      [[1], 'wrong-syntax'],
    ];
    for (const [callfilter, status] of cases) {
      const res = await h.call('POST', url(u.uuid), { sid: p.sid, body: { callfilter } });
      expect(res.status, JSON.stringify(callfilter)).toBe(status);
    }
    expect((await h.call('POST', url(u.uuid), { sid: p.sid, body: {} })).status).toBe('missing-element');
    expect((await h.call('POST', url(u.uuid), { sid: p.sid, body: { callfilter: null } })).status).toBe(
      'missing-element',
    );
    expect((await h.call('POST', url(u.uuid), { sid: p.sid, body: '{bad json' })).status).toBe(
      'wrong-syntax',
    );
    expect((await h.call('GET', url('123'), { sid: p.sid })).status).toBe('wrong-syntax');
    expect((await h.call('GET', url(u.uuid), { sid: p.sid })).status).toBe('empty-filter');
  });

  it("answers wrong-user for unknown, deleted, unpartnered and other partners' users alike", async () => {
    const p = await h.partner();
    const other = await h.partner();
    const foreign = await h.user({ partner: other.name });
    const plain = await h.user();
    const gone = await h.user({ partner: p.name });
    await h.call('POST', `/api/partner/user/${gone.uuid}`, { sid: p.sid, body: { deleted: true } });
    await h.call('POST', url(foreign.uuid), { sid: other.sid, body: { callfilter: SPEC_FILTER } });
    for (const uuid of [newId(), foreign.uuid, plain.uuid, gone.uuid]) {
      for (const [method, body] of [
        ['GET', undefined],
        ['POST', { callfilter: SPEC_GET_FILTER }],
        ['DELETE', undefined],
      ] as const) {
        const res = await h.call(method, url(uuid), { sid: p.sid, body });
        expect(res).toEqual({
          status: 'wrong-user',
          message: 'the user does not exist or does not belong to the current partner',
        });
      }
    }
    expect(await h.call('GET', url(foreign.uuid), { sid: other.sid })).toEqual({
      status: 'ok',
      callfilter: SPEC_FILTER,
    });
  });

  it('needs a partner session', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const anon = (await h.call('GET', '/api/session')).sid as string;
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', { callfilter: SPEC_GET_FILTER }],
      ['DELETE', undefined],
    ] as const) {
      expect((await h.call(method, url(u.uuid), { body })).status).toBe('no-session');
      expect((await h.call(method, url(u.uuid), { sid: anon, body })).status).toBe('no-auth');
      expect((await h.call(method, url(u.uuid), { sid: u.sid, body })).status).toBe('no-auth');
    }
  });
});
