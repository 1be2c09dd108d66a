import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rate } from '../../src/domain/policy/zone-filter.js';
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

const group = async (p: Partner): Promise<string> =>
  (await h.call('POST', G, { sid: p.sid, body: {} })).group_uuid;
const credit = (p: Partner, g: string) => h.call('GET', `${G}/${g}/credit`, { sid: p.sid });
const change = (p: Partner, g: string, body: unknown) =>
  h.call('POST', `${G}/${g}/credit`, { sid: p.sid, body });

/** spec 9.1.6 zone filter example (request and GET response). */
const SPEC_ZONES = [
  { description: 'national', prefix: ['+49'], cost: 139 },
  { description: 'euro1', prefix: ['+32', '+39', '+44'], cost: 189 },
  { description: 'rest', prefix: [''], cost: 599 },
];

describe('usergroup credit (spec 9.1.6 .../credit)', () => {
  it("answers no-credit until configured, then adds and subtracts (the spec's example)", async () => {
    const p = await h.partner();
    const g = await group(p);
    expect((await credit(p, g)).status).toBe('no-credit');
    expect(await change(p, g, { add: 10000 })).toEqual({ status: 'ok' });
    expect(await credit(p, g)).toEqual({ status: 'ok', credit: 10000 });
    await change(p, g, { subtract: 5180 });
    expect((await credit(p, g)).credit).toBe(4820);
    await change(p, g, { add: 100, subtract: 20 });
    expect((await credit(p, g)).credit).toBe(4900);
    // The live counter is the one the call engine debits.
    expect(await h.services.policy.credits.store.debit(g, 900)).toEqual({ ok: true, balance: 4000 });
    expect((await credit(p, g)).credit).toBe(4000);
  });

  it('DELETE removes the credit: GET answers no-credit again', async () => {
    const p = await h.partner();
    const g = await group(p);
    await change(p, g, { add: 5 });
    expect(await h.call('DELETE', `${G}/${g}/credit`, { sid: p.sid })).toEqual({ status: 'ok' });
    expect((await credit(p, g)).status).toBe('no-credit');
    expect(await h.call('DELETE', `${G}/${g}/credit`, { sid: p.sid })).toEqual({ status: 'ok' });
  });

  it('answers missing-element without add/subtract and wrong-syntax for non-integers', async () => {
    const p = await h.partner();
    const g = await group(p);
    await change(p, g, { add: 7 });
    expect((await change(p, g, {})).status).toBe('missing-element');
    for (const body of [{ add: '10' }, { add: 1.5 }, { subtract: true }, { add: null }, { add: 1e300 }]) {
      expect((await change(p, g, body)).status, JSON.stringify(body)).toBe('wrong-syntax');
    }
    expect((await credit(p, g)).credit).toBe(7);
  });

  it("lists the partner's credits, filtered by inclusive min/max", async () => {
    const p = await h.partner();
    const other = await h.partner();
    const [a, b, c, none] = [await group(p), await group(p), await group(p), await group(p)];
    await change(p, a, { add: 10000 });
    await change(p, b, { add: 12000 });
    await change(p, c, { add: 14000 });
    const theirs = await group(other);
    await change(other, theirs, { add: 13000 });
    const list = (query?: Record<string, string>) =>
      h.call('GET', `${G}/credit`, { sid: p.sid, ...(query ? { query } : {}) });
    // `none` has no credit configured and is not listed.
    expect(await list()).toEqual({ status: 'ok', credits: { [a]: 10000, [b]: 12000, [c]: 14000 } });
    await change(p, none, { add: 0 });
    expect((await list()).credits[none]).toBe(0);
    expect((await list({ min: '12000' })).credits).toEqual({ [b]: 12000, [c]: 14000 });
    expect((await list({ max: '12000' })).credits).toEqual({ [a]: 10000, [b]: 12000, [none]: 0 });
    expect((await list({ min: '11000', max: '13000' })).credits).toEqual({ [b]: 12000 });
    expect((await list({ min: '0', max: '1' })).credits).toEqual({ [none]: 0 });
    expect((await list({ min: '1', max: '9999' })).credits).toEqual({});
    const bad: Array<Record<string, string>> = [
      { min: '-1' },
      { max: 'x' },
      { min: '5', max: '5' },
      { min: '6', max: '5' },
    ];
    for (const query of bad) {
      expect((await list(query)).status, JSON.stringify(query)).toBe('wrong-syntax');
    }
    expect(await h.call('GET', `${G}/credit`, { sid: (await h.partner()).sid })).toEqual({
      status: 'ok',
      credits: {},
    });
  });
});

describe('usergroup zone filter (spec 9.1.6 .../zonefilter)', () => {
  it("stores the spec's example, returns it and the engine rates with it", async () => {
    const p = await h.partner();
    const g = await group(p);
    expect((await h.call('GET', `${G}/${g}/zonefilter`, { sid: p.sid })).status).toBe('empty-filter');
    expect(
      await h.call('POST', `${G}/${g}/zonefilter`, { sid: p.sid, body: { zonefilter: SPEC_ZONES } }),
    ).toEqual({
      status: 'ok',
    });
    expect(await h.call('GET', `${G}/${g}/zonefilter`, { sid: p.sid })).toEqual({
      status: 'ok',
      zonefilter: SPEC_ZONES,
    });
    const zf = (await h.services.policy.zoneFilters.forGroup(g))!;
    expect(rate(zf, '+492211234').cost).toBe(139);
    expect(rate(zf, '+441234567').cost).toBe(189);
    expect(rate(zf, '+15551234').cost).toBe(599);
    expect(await h.call('DELETE', `${G}/${g}/zonefilter`, { sid: p.sid })).toEqual({ status: 'ok' });
    expect((await h.call('GET', `${G}/${g}/zonefilter`, { sid: p.sid })).status).toBe('empty-filter');
    expect(await h.services.policy.zoneFilters.forGroup(g)).toBeNull();
  });

  it('takes 250 entries, answers too-large for 251 and empty-filter for none', async () => {
    const p = await h.partner();
    const g = await group(p);
    const entries = Array.from({ length: 250 }, (_, i) => ({
      description: `z${i}`,
      prefix: [`+${i}`],
      cost: i,
    }));
    expect(
      (await h.call('POST', `${G}/${g}/zonefilter`, { sid: p.sid, body: { zonefilter: entries } })).status,
    ).toBe('ok');
    const over = [...entries, { prefix: ['+999'], cost: 1 }];
    expect(
      (await h.call('POST', `${G}/${g}/zonefilter`, { sid: p.sid, body: { zonefilter: over } })).status,
    ).toBe('too-large');
    expect(
      (await h.call('POST', `${G}/${g}/zonefilter`, { sid: p.sid, body: { zonefilter: [] } })).status,
    ).toBe('empty-filter');
    expect((await h.call('GET', `${G}/${g}/zonefilter`, { sid: p.sid })).zonefilter).toHaveLength(250);
  });

  it('answers wrong-syntax / missing-element for bad entries', async () => {
    const p = await h.partner();
    const g = await group(p);
    const cases: Array<[unknown, string]> = [
      [{ description: 'x', cost: 1 }, 'missing-element'],
      [{ prefix: ['+49'] }, 'missing-element'],
      [{ prefix: '+49', cost: 1 }, 'wrong-syntax'],
      [{ prefix: [], cost: 1 }, 'wrong-syntax'],
      [{ prefix: ['+49a'], cost: 1 }, 'wrong-syntax'],
      [{ prefix: [49], cost: 1 }, 'wrong-syntax'],
      [{ prefix: ['+49'], cost: -1 }, 'wrong-syntax'],
      [{ prefix: ['+49'], cost: 1.5 }, 'wrong-syntax'],
      [{ prefix: ['+49'], cost: '1' }, 'wrong-syntax'],
      [{ prefix: ['+49'], cost: 1, description: 'x'.repeat(201) }, 'wrong-syntax'],
      [{ prefix: ['+49'], cost: 1, colour: 'red' }, 'wrong-syntax'],
      ['rest', 'wrong-syntax'],
    ];
    for (const [entry, status] of cases) {
      const res = await h.call('POST', `${G}/${g}/zonefilter`, { sid: p.sid, body: { zonefilter: [entry] } });
      expect(res.status, JSON.stringify(entry)).toBe(status);
    }
    expect((await h.call('POST', `${G}/${g}/zonefilter`, { sid: p.sid, body: {} })).status).toBe(
      'missing-element',
    );
    expect(
      (await h.call('POST', `${G}/${g}/zonefilter`, { sid: p.sid, body: { zonefilter: {} } })).status,
    ).toBe('wrong-syntax');
    expect((await h.call('GET', `${G}/${g}/zonefilter`, { sid: p.sid })).status).toBe('empty-filter');
  });
});

describe('credit and zone filter authorization', () => {
  const calls = (g: string): Array<[string, string, unknown]> => [
    ['POST', `${G}/${g}/credit`, { add: 1 }],
    ['GET', `${G}/${g}/credit`, undefined],
    ['DELETE', `${G}/${g}/credit`, undefined],
    ['POST', `${G}/${g}/zonefilter`, { zonefilter: SPEC_ZONES }],
    ['GET', `${G}/${g}/zonefilter`, undefined],
    ['DELETE', `${G}/${g}/zonefilter`, undefined],
  ];

  it("answers wrong-usergroup for another partner's group exactly like an unknown one", async () => {
    const p = await h.partner();
    const other = await h.partner();
    const theirs = await group(other);
    await change(other, theirs, { add: 42 });
    await h.call('POST', `${G}/${theirs}/zonefilter`, { sid: other.sid, body: { zonefilter: SPEC_ZONES } });
    for (const g of [theirs, newId()]) {
      for (const [method, url, body] of calls(g)) {
        expect(await h.call(method as 'GET', url, { sid: p.sid, body }), `${method} ${url}`).toEqual({
          status: 'wrong-usergroup',
          message: 'the usergroup does not exist or does not belong to the partner',
        });
      }
    }
    expect((await credit(other, theirs)).credit).toBe(42);
    expect((await h.call('GET', `${G}/${theirs}/zonefilter`, { sid: other.sid })).zonefilter).toEqual(
      SPEC_ZONES,
    );
  });

  it('needs a partner session', async () => {
    const p = await h.partner();
    const g = await group(p);
    const u = await h.user({ partner: p.name });
    const anon = (await h.call('GET', '/api/session')).sid as string;
    for (const [method, url, body] of [
      ...calls(g),
      ['GET', `${G}/credit`, undefined] as [string, string, unknown],
    ]) {
      expect((await h.call(method as 'GET', url, { body })).status).toBe('no-session');
      expect((await h.call(method as 'GET', url, { sid: anon, body })).status).toBe('no-auth');
      expect((await h.call(method as 'GET', url, { sid: u.sid, body })).status).toBe('no-auth');
    }
    expect((await credit(p, g)).status).toBe('no-credit');
  });
});
