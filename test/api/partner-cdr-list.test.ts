import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cdr } from '../../src/domain/cdr/cdr.js';
import { CdrError } from '../../src/domain/cdr/cdr.js';
import { runAdminCommand } from '../../src/admin/commands.js';
import { newCdrId, type CdrInput } from '../../src/services/cdr-service.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
});
afterAll(async () => {
  await h?.close();
});

let seq = 2000;
/** Distinct numbers per test (the phone table is shared by the whole file). */
const num = (): string => `+4922177${String((seq += 1)).padStart(6, '0')}`;

/** A partner, one of its users, and a number assigned to that user by the partner. */
async function partnerWithNumber() {
  const p = await h.partner();
  const u = await h.user({ partner: p.name });
  const phone = num();
  const res = await h.call('POST', `/api/partner/phone/${u.uuid}`, {
    sid: p.sid,
    body: { create: { [phone]: {} } },
  });
  expect(res.status).toBe('ok');
  return { p, u, phone };
}

const T0 = 1467625336365;

function leg(userId: string, phone: string, startMs: number, over: Partial<CdrInput> = {}): CdrInput {
  return {
    userId,
    phone,
    service: 'call',
    startMs,
    answerMs: startMs + 3000,
    endMs: startMs + 10_000,
    q850: 16,
    b_number: '+492216698711',
    ...over,
  };
}

const list = (sid: string, phone: string, query = '') =>
  h.call('GET', `/api/partner/cdr/${encodeURIComponent(phone)}${query}`, { sid });
const ids = (res: Record<string, any>): string[] => (res.cdr as Cdr[]).map((c) => c.id);

describe('GET /api/partner/cdr/(phone) (spec 9.1.4)', () => {
  it('lists recorded CDRs in the spec shape, oldest first by default, 10 by default', async () => {
    const { p, u, phone } = await partnerWithNumber();
    const recorded: Cdr[] = [];
    for (let i = 0; i < 12; i++)
      recorded.push(await h.services.cdrs.record(leg(u.uuid, phone, T0 + i * 1000)));
    const res = await list(p.sid, phone);
    expect(res.status).toBe('ok');
    expect(res.cdr).toHaveLength(10);
    expect(res.cdr[0]).toEqual({
      phone,
      id: recorded[0]!.id,
      date: T0,
      service: 'call',
      b_number: '+492216698711',
      t_pre: 3,
      t_post: 7,
    });
    expect(ids(res)).toEqual(recorded.slice(0, 10).map((c) => c.id));
  });

  it('pages both ways with start exclusive and covers every CDR once', async () => {
    const { p, u, phone } = await partnerWithNumber();
    const all: string[] = [];
    // Two CDRs share each date: the id breaks the tie, consistently in both orders.
    for (let i = 0; i < 7; i++)
      all.push((await h.services.cdrs.record(leg(u.uuid, phone, T0 + Math.floor(i / 2)))).id);

    const walk = async (order: 'asc' | 'desc'): Promise<string[]> => {
      const seen: string[] = [];
      let start: string | undefined;
      for (;;) {
        const res = await list(p.sid, phone, `?order=${order}&count=3${start ? `&start=${start}` : ''}`);
        expect(res.status).toBe('ok');
        if (res.cdr.length === 0) return seen;
        expect(start === undefined || !ids(res).includes(start)).toBe(true);
        seen.push(...ids(res));
        start = seen[seen.length - 1];
      }
    };
    const asc = await walk('asc');
    const desc = await walk('desc');
    expect(asc).toHaveLength(7);
    expect(new Set(asc)).toEqual(new Set(all));
    expect(desc).toEqual([...asc].reverse());
    const dates = (await list(p.sid, phone, '?count=7')).cdr.map((c: Cdr) => c.date);
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
  });

  it('bounds by from/to in seconds, inclusive, and lets start override from (asc) or to (desc)', async () => {
    const { p, u, phone } = await partnerWithNumber();
    const base = 1_700_000_000; // seconds
    const c: Cdr[] = [];
    for (let s = 0; s < 5; s++)
      c.push(await h.services.cdrs.record(leg(u.uuid, phone, (base + s) * 1000 + 999)));
    const q = (query: string) => list(p.sid, phone, query).then(ids);
    const at = (...i: number[]) => i.map((n) => c[n]!.id);

    expect(await q(`?from=${base + 1}&to=${base + 3}`)).toEqual(at(1, 2, 3));
    expect(await q(`?from=${base + 1}&to=${base + 3}&order=desc`)).toEqual(at(3, 2, 1));
    expect(await q(`?from=${base + 4}`)).toEqual(at(4));
    expect(await q(`?to=${base}`)).toEqual(at(0));
    expect(await q(`?from=${base + 2}&to=${base + 2}`)).toEqual(at(2));
    expect(await q(`?from=${base + 10}`)).toEqual([]);
    // start overrides `from` in asc order, `to` stays.
    expect(await q(`?from=${base + 3}&to=${base + 3}&start=${c[0]!.id}`)).toEqual(at(1, 2, 3));
    // start overrides `to` in desc order, `from` stays.
    expect(await q(`?from=${base + 1}&to=${base + 1}&order=desc&start=${c[4]!.id}`)).toEqual(at(3, 2, 1));
    expect(await q(`?start=${c[4]!.id}`)).toEqual([]);
    expect(await q(`?start=${c[2]!.id}&count=1`)).toEqual(at(3));
  });

  it('continues after a start id that is not one of this phone’s CDRs by the time in that v1 UUID', async () => {
    const { p, u, phone } = await partnerWithNumber();
    const c: Cdr[] = [];
    for (let i = 0; i < 3; i++) c.push(await h.services.cdrs.record(leg(u.uuid, phone, T0 + i * 60_000)));
    const foreign = newCdrId(T0 + 30_000);
    expect(ids(await list(p.sid, phone, `?start=${foreign}`))).toEqual([c[1]!.id, c[2]!.id]);
    expect(ids(await list(p.sid, phone, `?start=${foreign}&order=desc`))).toEqual([c[0]!.id]);
  });

  it('answers wrong-syntax for bad parameters and takes count 1...5000', async () => {
    const { p, u, phone } = await partnerWithNumber();
    await h.services.cdrs.record(leg(u.uuid, phone, T0));
    for (const bad of [
      '?count=0',
      '?count=5001',
      '?count=100000',
      '?count=-1',
      '?count=abc',
      '?from=10&to=9',
      '?from=abc',
      '?order=random',
      '?start=nope',
      '?start=2b5e1560-124f-41e4-b449-f8a96351ccd6',
    ]) {
      expect((await list(p.sid, phone, bad)).status, bad).toBe('wrong-syntax');
    }
    expect((await list(p.sid, phone, '?count=1')).cdr).toHaveLength(1);
    expect((await list(p.sid, phone, '?count=5000')).cdr).toHaveLength(1);
    expect((await list(p.sid, phone, '?from=9&to=9')).status).toBe('ok');
  });

  it('answers wrong-phone for another partner’s number, a user’s own number and an unknown one', async () => {
    const a = await partnerWithNumber();
    const b = await partnerWithNumber();
    await h.services.cdrs.record(leg(b.u.uuid, b.phone, T0));
    expect((await list(a.p.sid, b.phone)).status).toBe('wrong-phone');
    expect((await list(b.p.sid, b.phone)).cdr).toHaveLength(1);
    expect((await list(a.p.sid, num())).status).toBe('wrong-phone');
    expect((await list(a.p.sid, 'not-a-number')).status).toBe('wrong-phone');

    // A number a user who belongs to no partner took from the pool.
    const own = `+49177${String((seq += 1)).padStart(6, '0')}`;
    expect(await runAdminCommand(h.services, { op: 'numbers.add', area: '177', numbers: [own] })).toEqual({
      added: [own],
    });
    const plain = await h.user();
    await runAdminCommand(h.services, { op: 'user.set-area', user: plain.username, area: '177' });
    expect(
      (await h.call('POST', '/api/phone', { sid: plain.sid, body: { create: true } }))[own],
    ).toBeDefined();
    await h.services.cdrs.record(leg(plain.uuid, own, T0));
    expect((await list(a.p.sid, own)).status).toBe('wrong-phone');
  });

  it('answers an empty list for a partner number without CDRs, and takes the + literal or encoded', async () => {
    const { p, u, phone } = await partnerWithNumber();
    expect(await list(p.sid, phone)).toEqual({ status: 'ok', cdr: [] });
    const cdr = await h.services.cdrs.record(leg(u.uuid, phone, T0));
    for (const path of [
      `/api/partner/cdr/${phone}`,
      `/api/partner/cdr/%2B${phone.slice(1)}`,
      `/api/partner/cdr/${phone}/`,
    ]) {
      expect(ids(await h.call('GET', path, { sid: p.sid })), path).toEqual([cdr.id]);
    }
  });

  it('lists the CDRs of a partner user’s SIP account', async () => {
    const { p, u } = await partnerWithNumber();
    const sip = await h.call('POST', '/api/sip', { sid: u.sid, body: { password: 'sippass123' } });
    expect(sip.status).toBe('ok');
    const cdr = await h.services.cdrs.record(
      leg(u.uuid, sip.user as string, T0, { b_number: '+4930123456' }),
    );
    expect(ids(await list(p.sid, sip.user as string))).toEqual([cdr.id]);
  });

  it('returns parent/root chains as recorded, the root without either', async () => {
    const { p, u, phone } = await partnerWithNumber();
    // Ids are allocated when the legs start, so children name their parent before it ends.
    const rootId = newCdrId(T0);
    const childId = newCdrId(T0 + 380);
    const child = await h.services.cdrs.record(
      leg(u.uuid, phone, T0 + 380, { id: childId, parent: rootId, b_number: '+492216698711' }),
    );
    const grandchild = await h.services.cdrs.record(
      leg(u.uuid, phone, T0 + 900, { parent: childId, root: rootId, service: 'call_through' }),
    );
    const root = await h.services.cdrs.record(
      leg(u.uuid, phone, T0, { id: rootId, b_number: undefined, a_number: 'csc_00', endMs: T0 + 10_400 }),
    );
    const res = await list(p.sid, phone);
    expect(res.cdr).toEqual([root, child, grandchild]);
    expect(res.cdr[0]).toEqual({
      phone,
      id: rootId,
      date: T0,
      service: 'call',
      a_number: 'csc_00',
      t_pre: 3,
      t_post: 7,
    });
    expect(res.cdr[1]).toMatchObject({
      id: childId,
      parent: rootId,
      root: rootId,
      b_number: '+492216698711',
    });
    expect(res.cdr[2]).toMatchObject({ parent: childId, root: rootId, service: 'call_through' });
  });

  it('keeps service-specific fields: fax page_count and ids', async () => {
    const { p, u, phone } = await partnerWithNumber();
    const faxId = newCdrId();
    const cdr = await h.services.cdrs.record(
      leg(u.uuid, phone, T0, {
        service: 'fax',
        fax_id: faxId,
        page_count: 2,
        b_number: undefined,
        a_number: '+4930999',
      }),
    );
    expect((await list(p.sid, phone)).cdr).toEqual([cdr]);
    expect(cdr).toMatchObject({ service: 'fax', fax_id: faxId, page_count: 2, a_number: '+4930999' });
  });

  it('needs a partner session', async () => {
    const { u, phone } = await partnerWithNumber();
    expect((await h.call('GET', `/api/partner/cdr/${phone}`, { sid: u.sid })).status).toBe('no-auth');
    expect((await h.call('GET', `/api/partner/cdr/${phone}`)).status).toBe('no-session');
  });

  it('keeps /api/partner/cdr/event the subscription call, not a phone', async () => {
    const { p } = await partnerWithNumber();
    expect(await h.call('GET', '/api/partner/cdr/event', { sid: p.sid })).toEqual({ status: 'ok' });
    expect(await h.call('DELETE', '/api/partner/cdr/event', { sid: p.sid })).toEqual({ status: 'ok' });
  });

  it('documents the call and its statuses in the OpenAPI description', async () => {
    const doc = await h.call('GET', '/api/openapi.json');
    const op = doc.paths['/api/partner/cdr/{phone}'].get;
    expect(op.responses['200'].description).toContain('wrong-phone');
    expect(op.responses['200'].content['application/json'].schema.properties.status.enum).toContain(
      'wrong-phone',
    );
    expect(op.parameters.map((x: { name: string }) => x.name).sort()).toEqual(
      ['count', 'from', 'order', 'phone', 'start', 'to'].sort(),
    );
  });
});

describe('CdrService.record (spec 9.2.1 event cdr)', () => {
  it('delivers the cdr event with its phone to a subscribed partner session', async () => {
    const { p, u, phone } = await partnerWithNumber();
    expect(await h.call('GET', '/api/partner/cdr/event', { sid: p.sid })).toEqual({ status: 'ok' });
    const cdr = await h.services.cdrs.record(
      leg(u.uuid, phone, T0, { answerMs: T0 + 4000, endMs: T0 + 111_000 }),
    );
    const res = await h.call('GET', '/api/event?timeout=0', { sid: p.sid });
    expect(res.event).toEqual([{ id: 0, event: 'cdr', time: expect.any(Number), cdr }]);
    expect(res.event[0].cdr).toEqual({
      phone,
      id: cdr.id,
      date: T0,
      service: 'call',
      b_number: '+492216698711',
      t_pre: 4,
      t_post: 107,
    });
  });

  it('sends no event to other partners and none for users without a partner', async () => {
    const a = await partnerWithNumber();
    const b = await partnerWithNumber();
    await h.call('GET', '/api/partner/cdr/event', { sid: b.p.sid });
    await h.services.cdrs.record(leg(a.u.uuid, a.phone, T0));
    const plain = await h.user();
    const stored = await h.services.cdrs.record(leg(plain.uuid, '+4922199999999', T0));
    expect(await h.services.cdrs.byId(stored.id)).toEqual(stored);
    expect((await h.call('GET', '/api/event?timeout=0', { sid: b.p.sid })).status).toBe('timeout');
  });

  it('is idempotent per id: a retry stores and publishes once, the first write stands', async () => {
    const { p, u, phone } = await partnerWithNumber();
    await h.call('GET', '/api/partner/cdr/event', { sid: p.sid });
    const input = leg(u.uuid, phone, T0, { id: newCdrId(T0) });
    const first = await h.services.cdrs.record(input);
    const again = await h.services.cdrs.record({ ...input, endMs: T0 + 99_000 });
    expect(again).toEqual(first);
    expect((await list(p.sid, phone)).cdr).toEqual([first]);
    const res = await h.call('GET', '/api/event?timeout=0', { sid: p.sid });
    expect(res.event.map((e: { cdr: Cdr }) => e.cdr.id)).toEqual([first.id]);
  });

  it('rejects facts that make no CDR and stores nothing', async () => {
    const { p, u, phone } = await partnerWithNumber();
    await expect(
      h.services.cdrs.record(leg(u.uuid, phone, T0, { endMs: T0 - 1, answerMs: null })),
    ).rejects.toThrow(CdrError);
    await expect(
      h.services.cdrs.record(leg(u.uuid, phone, T0, { service: 'voicemail' as never })),
    ).rejects.toThrow(CdrError);
    await expect(h.services.cdrs.record(leg(newCdrId(), phone, T0))).rejects.toThrow(CdrError);
    await expect(h.services.cdrs.record(leg('not-a-user', phone, T0))).rejects.toThrow(CdrError);
    expect((await list(p.sid, phone)).cdr).toEqual([]);
  });

  it('keeps CDRs when the user is deleted: the partner still lists the released number', async () => {
    const { p, u, phone } = await partnerWithNumber();
    const cdr = await h.services.cdrs.record(leg(u.uuid, phone, T0));
    await h.services.lifecycle.delete(u.uuid);
    // Deleting the account released the number.
    expect((await h.call('GET', '/api/partner/phone', { sid: p.sid })).phones).toEqual({});
    expect((await list(p.sid, phone)).cdr).toEqual([cdr]);

    // The number goes to another partner's user: its old CDRs stay the first partner's.
    const other = await h.partner();
    const ou = await h.user({ partner: other.name });
    const assign = { sid: other.sid, body: { create: { [phone]: {} } } };
    expect((await h.call('POST', `/api/partner/phone/${ou.uuid}`, assign)).status).toBe('ok');
    expect(await list(other.sid, phone)).toEqual({ status: 'ok', cdr: [] });
    const later = await h.services.cdrs.record(leg(ou.uuid, phone, T0 + 5000));
    expect((await list(other.sid, phone)).cdr).toEqual([later]);
    expect((await list(p.sid, phone)).cdr).toEqual([cdr]);
  });
});
