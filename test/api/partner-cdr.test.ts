import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000', CDR_BACKLOG: '100' });
});
afterAll(async () => {
  await h?.close();
});

/** A second session of the same partner. */
async function partnerSession(name: string, key: string): Promise<string> {
  const { sid } = await h.call('GET', '/api/session');
  expect((await h.call('POST', '/api/session', { sid, body: { partner: name, key } })).status).toBe('ok');
  return sid;
}

const cdr = (n: number) => ({
  phone: '+492216698712',
  id: `cdr-${n}`,
  date: 1406109196726 + n,
  service: 'call',
  t_pre: 4,
  t_post: n,
});

async function cdrsOf(sid: string, next = 0): Promise<{ ids: string[]; next: number }> {
  const res = await h.call('GET', `/api/event?next=${next}&timeout=0`, { sid });
  if (res.status === 'timeout') return { ids: [], next };
  for (const e of res.event) expect(e.event).toBe('cdr');
  return { ids: res.event.map((e: { cdr: { id: string } }) => e.cdr.id), next: res.next };
}

describe('partner CDR events (spec 9.1.4, 9.2.1)', () => {
  it('delivers a CDR as the spec event shape', async () => {
    const p = await h.partner();
    expect(await h.call('GET', '/api/partner/cdr/event', { sid: p.sid })).toEqual({ status: 'ok' });
    await h.services.eventSystem.partnerCdr.publish(p.id, cdr(1));
    const res = await h.call('GET', '/api/event?timeout=0', { sid: p.sid });
    expect(res.event).toEqual([{ id: 0, event: 'cdr', time: expect.any(Number), cdr: cdr(1) }]);
  });

  it('splits CDRs between subscribed sessions, each exactly once', async () => {
    const p = await h.partner();
    const s2 = await partnerSession(p.name, p.key);
    await h.call('GET', '/api/partner/cdr/event', { sid: p.sid });
    await h.call('GET', '/api/partner/cdr/event', { sid: s2 });
    for (let i = 0; i < 10; i++) await h.services.eventSystem.partnerCdr.publish(p.id, cdr(i));
    const a = await cdrsOf(p.sid);
    const b = await cdrsOf(s2);
    expect(a.ids.length).toBeGreaterThan(0);
    expect(b.ids.length).toBeGreaterThan(0);
    expect([...a.ids, ...b.ids].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `cdr-${i}`).sort());
  });

  it('a batch of CDRs (publishAll, more than one read round) goes round robin, in order, each exactly once', async () => {
    const p = await h.partner();
    const s2 = await partnerSession(p.name, p.key);
    await h.call('GET', '/api/partner/cdr/event', { sid: p.sid });
    await h.call('GET', '/api/partner/cdr/event', { sid: s2 });
    const all = Array.from({ length: 90 }, (_, i) => cdr(i));
    await h.services.eventSystem.partnerCdr.publishAll(p.id, all);
    const a = await cdrsOf(p.sid);
    const b = await cdrsOf(s2);
    expect(a.ids).toHaveLength(45);
    expect(b.ids).toHaveLength(45);
    const order = (ids: string[]) => ids.map((id) => Number(id.slice(4)));
    expect(order(a.ids)).toEqual([...order(a.ids)].sort((x, y) => x - y));
    expect(order(b.ids)).toEqual([...order(b.ids)].sort((x, y) => x - y));
    expect([...a.ids, ...b.ids].sort()).toEqual(all.map((c) => c.id).sort());
    // Confirming by polling on acknowledges them: nothing is handed out again.
    expect((await cdrsOf(p.sid, a.next)).ids).toEqual([]);
    await h.services.eventSystem.partnerCdr.sweep();
    expect((await cdrsOf(s2, b.next)).ids).toEqual([]);
  });

  it('keeps CDRs while nobody subscribes and hands them to the next subscriber', async () => {
    const p = await h.partner();
    for (let i = 0; i < 3; i++) await h.services.eventSystem.partnerCdr.publish(p.id, cdr(i));
    expect((await cdrsOf(p.sid)).ids).toEqual([]);
    await h.call('GET', '/api/partner/cdr/event', { sid: p.sid });
    expect((await cdrsOf(p.sid)).ids).toEqual(['cdr-0', 'cdr-1', 'cdr-2']);
  });

  it('moves the unconfirmed CDRs of a session that died to the others', async () => {
    const p = await h.partner();
    const s2 = await partnerSession(p.name, p.key);
    await h.call('GET', '/api/partner/cdr/event', { sid: p.sid });
    for (let i = 0; i < 4; i++) await h.services.eventSystem.partnerCdr.publish(p.id, cdr(i));
    // p.sid got everything; it dies before confirming (never polls again).
    expect((await cdrsOf(p.sid)).ids).toHaveLength(4);
    await h.call('GET', '/api/partner/cdr/event', { sid: s2 });
    await h.call('DELETE', '/api/session', { sid: p.sid });
    await h.services.eventSystem.partnerCdr.sweep();
    expect((await cdrsOf(s2)).ids.sort()).toEqual(['cdr-0', 'cdr-1', 'cdr-2', 'cdr-3']);
  });

  it('does not re-deliver what a cleanly unsubscribing session already fetched', async () => {
    const p = await h.partner();
    const s2 = await partnerSession(p.name, p.key);
    await h.call('GET', '/api/partner/cdr/event', { sid: p.sid });
    await h.services.eventSystem.partnerCdr.publish(p.id, cdr(1));
    expect((await cdrsOf(p.sid)).ids).toEqual(['cdr-1']);
    await h.call('GET', '/api/partner/cdr/event', { sid: s2 });
    expect(await h.call('DELETE', '/api/partner/cdr/event', { sid: p.sid })).toEqual({ status: 'ok' });
    await h.services.eventSystem.partnerCdr.publish(p.id, cdr(2));
    expect((await cdrsOf(s2)).ids).toEqual(['cdr-2']);
    expect((await cdrsOf(p.sid, 1)).ids).toEqual([]);
  });

  it('ends the flow when the subscription times out; what was not fetched goes elsewhere', async () => {
    const p = await h.partner();
    const s2 = await partnerSession(p.name, p.key);
    expect((await h.call('GET', '/api/partner/cdr/event?timeout=1', { sid: p.sid })).status).toBe('ok');
    await new Promise((r) => setTimeout(r, 1100));
    await h.call('GET', '/api/partner/cdr/event', { sid: s2 });
    await h.services.eventSystem.partnerCdr.publish(p.id, cdr(7));
    expect((await cdrsOf(p.sid)).ids).toEqual([]);
    expect((await cdrsOf(s2)).ids).toEqual(['cdr-7']);
  });

  it('checks timeout and the partner session', async () => {
    const p = await h.partner();
    expect((await h.call('GET', '/api/partner/cdr/event?timeout=0', { sid: p.sid })).status).toBe(
      'wrong-syntax',
    );
    expect((await h.call('GET', '/api/partner/cdr/event?timeout=36001', { sid: p.sid })).status).toBe(
      'wrong-syntax',
    );
    expect((await h.call('GET', '/api/partner/cdr/event?timeout=abc', { sid: p.sid })).status).toBe(
      'wrong-syntax',
    );
    const u = await h.user();
    expect((await h.call('GET', '/api/partner/cdr/event', { sid: u.sid })).status).toBe('no-auth');
    expect((await h.call('GET', '/api/partner/cdr/event')).status).toBe('no-session');
  });

  it('never mixes partners', async () => {
    const p1 = await h.partner();
    const p2 = await h.partner();
    await h.call('GET', '/api/partner/cdr/event', { sid: p1.sid });
    await h.call('GET', '/api/partner/cdr/event', { sid: p2.sid });
    await h.services.eventSystem.partnerCdr.publish(p1.id, cdr(1));
    expect((await cdrsOf(p2.sid)).ids).toEqual([]);
    expect((await cdrsOf(p1.sid)).ids).toEqual(['cdr-1']);
  });
});
