/**
 * GET /api/statistics/(date) and GET /api/usage/(month) (spec 13.1.3-13.1.4):
 * counters from CDRs and fax reports, peaks from live registrations and calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/admin/commands.js';
import { newCdrId } from '../../src/services/cdr-service.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
let admin: TestUser;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
  admin = await h.user();
  await runAdminCommand(h.services, {
    op: 'user.set-permission',
    user: admin.username,
    permission: 'statistics',
    granted: true,
  });
});
afterAll(async () => {
  await h?.close();
});

const stats = (date: string, u = admin) => h.call('GET', `/api/statistics/${date}`, { sid: u.sid });
const usage = (month: string, u = admin) => h.call('GET', `/api/usage/${month}`, { sid: u.sid });
const at = (iso: string): number => Date.parse(iso);

async function call(
  u: TestUser,
  dir: 'in' | 'out',
  startIso: string,
  talk: number,
  extra: { cost?: number; recording?: string; service?: 'call' | 'fax' } = {},
) {
  const start = at(startIso);
  return h.services.cdrs.record({
    id: newCdrId(start),
    userId: u.uuid,
    phone: '+4922155874' + String(Math.floor(Math.random() * 90 + 10)),
    service: extra.service ?? 'call',
    startMs: start,
    answerMs: talk > 0 ? start + 2000 : null,
    endMs: start + 2000 + talk * 1000,
    q850: 16,
    ...(dir === 'in' ? { a_number: '+4930123456' } : { b_number: '+4930123456' }),
    ...(extra.cost !== undefined ? { cost: extra.cost } : {}),
    ...(extra.recording ? { recording_id: extra.recording } : {}),
  });
}

describe('permissions and statuses', () => {
  it('answers access-denied without the statistics permission, and the CLI grants and revokes it', async () => {
    const u = await h.user();
    expect((await stats('2031-01-05', u))['status']).toBe('access-denied');
    expect((await usage('2031-01', u))['status']).toBe('access-denied');
    const granted = await runAdminCommand(h.services, {
      op: 'user.set-permission',
      user: u.username,
      permission: 'statistics',
      granted: true,
    });
    expect(granted).toEqual({ uuid: u.uuid, permissions: ['statistics'] });
    expect((await stats('2031-01-05', u))['status']).toBe('empty-data');
    await runAdminCommand(h.services, {
      op: 'user.set-permission',
      user: u.uuid,
      permission: 'statistics',
      granted: false,
    });
    expect((await stats('2031-01-05', u))['status']).toBe('access-denied');
    await expect(
      runAdminCommand(h.services, {
        op: 'user.set-permission',
        user: u.uuid,
        permission: 'root',
        granted: true,
      }),
    ).rejects.toMatchObject({ status: 'wrong-syntax' });
    await expect(
      runAdminCommand(h.services, {
        op: 'user.set-permission',
        user: 'nobody',
        permission: 'mwi',
        granted: true,
      }),
    ).rejects.toMatchObject({ status: 'wrong-user' });
  });

  it('checks the date and month syntax; a period without data is empty-data', async () => {
    for (const bad of ['2024-13-01', '2024-02-30', '24-01-01', 'today']) {
      expect((await stats(bad))['status'], bad).toBe('wrong-syntax');
    }
    for (const bad of ['2024-13', '2024-1', '2024'])
      expect((await usage(bad))['status'], bad).toBe('wrong-syntax');
    expect(await stats('1999-01-01')).toMatchObject({ status: 'empty-data' });
    expect(await usage('1999-01')).toMatchObject({ status: 'empty-data' });
  });
});

describe('the statistics data object', () => {
  it('counts calls, minutes, cost, recordings and faxes per user and partner, per day and per month', async () => {
    const p = await h.partner();
    const alice = await h.user({ partner: p.name });
    const bob = await h.user({ partner: p.name });
    const carol = await h.user();
    await call(alice, 'in', '2032-03-10T08:00:00Z', 90, {
      recording: '5e2a6a30-0000-11ef-8000-000000000001',
    });
    await call(alice, 'out', '2032-03-10T09:00:00Z', 30, { cost: 12 });
    await call(alice, 'out', '2032-03-10T23:59:50Z', 0);
    await call(bob, 'out', '2032-03-11T10:00:00Z', 600, { cost: 100 });
    await call(carol, 'in', '2032-03-10T12:00:00Z', 45);
    // A fax leg is counted from its fax report, not as a call.
    await call(carol, 'in', '2032-03-10T12:30:00Z', 60, { service: 'fax' });
    // Recording the same CDR again (a retry) counts nothing twice.
    const again = await call(carol, 'out', '2032-03-10T13:00:00Z', 10);
    await h.services.cdrs.record({
      id: again.id,
      userId: carol.uuid,
      phone: again.phone,
      service: 'call',
      startMs: again.date,
      answerMs: again.date + 2000,
      endMs: again.date + 12_000,
      q850: 16,
      b_number: '+4930123456',
    });

    // Faxes: one received (3 pages) and one sent that went ok only on its second report update.
    const fax = await h.services.faxes.create(carol.uuid);
    const t = at('2032-03-10T14:00:00Z') / 1000;
    await h.services.faxes.createReport({
      fax: fax.uuid,
      incoming: true,
      from: '+4930999',
      to: '+4922155',
      status: 'ok',
      timeStart: t,
      timeEnd: t + 60,
      pages: 3,
    });
    const out = await h.services.faxes.createReport({
      fax: fax.uuid,
      incoming: false,
      from: '+4922155',
      to: '+4930999',
      status: 'dial',
      timeStart: t,
    });
    await h.services.faxes.updateReport(out.uuid, { status: 'transmit' });
    await h.services.faxes.updateReport(out.uuid, { status: 'ok', timeEnd: t + 120, pages: 2 });

    const day = await stats('2032-03-10');
    expect(day['status']).toBe('ok');
    const r = day['result'];
    expect(r).toMatchObject({ period: '2032-03-10', from: '2032-03-10', to: '2032-03-10', timezone: 'UTC' });
    expect(r.total).toMatchObject({
      calls_in: 2,
      calls_out: 3,
      seconds_in: 135,
      seconds_out: 40,
      minutes_in: 2.25,
      minutes_out: 0.67,
      cost: 12,
      faxes_in: 1,
      faxes_out: 1,
      pages_in: 3,
      pages_out: 2,
      recordings: 1,
    });
    expect(Object.keys(r.partner)).toEqual([p.name]);
    expect(r.partner[p.name]).toMatchObject({ calls_in: 1, calls_out: 2, cost: 12 });
    expect(r.partner[p.name].user[alice.uuid]).toMatchObject({
      username: alice.username,
      calls_in: 1,
      calls_out: 2,
      seconds_in: 90,
      seconds_out: 30,
      recordings: 1,
    });
    expect(r.partner[p.name].user[bob.uuid]).toBeUndefined();
    expect(r.user[carol.uuid]).toMatchObject({
      username: carol.username,
      calls_in: 1,
      calls_out: 1,
      faxes_in: 1,
      faxes_out: 1,
      pages_in: 3,
      pages_out: 2,
    });

    const month = (await usage('2032-03'))['result'];
    expect(month).toMatchObject({ period: '2032-03', from: '2032-03-01', to: '2032-03-31' });
    expect(month.total).toMatchObject({ calls_in: 2, calls_out: 4, seconds_out: 640, cost: 112 });
    expect(month.partner[p.name]).toMatchObject({ calls_out: 3, seconds_out: 630, cost: 112 });
    expect(month.partner[p.name].user[bob.uuid]).toMatchObject({ calls_out: 1, minutes_out: 10 });
    // Deleting the fax keeps the usage: it happened.
    await h.services.db.deleteFrom('objects').where('uuid', '=', fax.uuid).execute();
    expect((await usage('2032-03'))['result'].total).toMatchObject({ faxes_in: 1, pages_out: 2 });
  });

  it('keeps peaks of registrations and calls per system, partner and user, from live counts', async () => {
    const p = await h.partner();
    const dave = await h.user({ partner: p.name });
    const erin = await h.user({ partner: p.name });
    const sip = async (u: TestUser) =>
      (await h.call('POST', '/api/sip', { sid: u.sid, body: { password: 'sEcReT53a' } }))['user'] as string;
    let cseq = 0;
    const bind = async (name: string, contact: string, expires = 300) => {
      const acc = (await h.services.sipAccounts.credentials(name))!;
      await h.services.registrations.bind(acc, {
        contact,
        source: contact.replace(/^sip:[^@]+@/, ''),
        transport: 'udp',
        expires,
        callId: contact,
        cseq: ++cseq,
      });
    };
    const d1 = await sip(dave);
    const d2 = await sip(dave);
    const e1 = await sip(erin);
    await bind(d1, `sip:${d1}@192.0.2.1:5060`);
    await bind(d1, `sip:${d1}@192.0.2.2:5060`); // a second device of the same account: still one account
    await bind(d2, `sip:${d2}@192.0.2.3:5060`);
    await bind(e1, `sip:${e1}@192.0.2.4:5060`);
    await bind(d2, `sip:${d2}@192.0.2.3:5060`, 0); // unregisters
    await bind(e1, `sip:${e1}@192.0.2.4:5060`); // refresh: no new peak
    await h.services.usage.callStarted('call-1', dave.uuid);
    await h.services.usage.callStarted('call-2', dave.uuid);
    await h.services.usage.callEnded('call-1', dave.uuid);
    await h.services.usage.callStarted('call-3', erin.uuid);

    const today = new Date().toISOString().slice(0, 10);
    const r = (await stats(today))['result'];
    expect(r.partner[p.name]).toMatchObject({ registrations_peak: 3, concurrent_calls_peak: 2 });
    expect(r.partner[p.name].user[dave.uuid]).toMatchObject({
      registrations_peak: 2,
      concurrent_calls_peak: 2,
    });
    expect(r.partner[p.name].user[erin.uuid]).toMatchObject({
      registrations_peak: 1,
      concurrent_calls_peak: 1,
      calls_in: 0,
    });
    expect(r.total.registrations_peak).toBeGreaterThanOrEqual(3);
    const m = (await usage(today.slice(0, 7)))['result'];
    expect(m.partner[p.name]).toMatchObject({ registrations_peak: 3, concurrent_calls_peak: 2 });
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/usage/{month}'].get.responses['200'];
    expect(op.description).toContain('empty-data');
    const result = op.content['application/json'].schema.properties.result;
    expect(result.description).toContain('statistics data object');
    expect(Object.keys(result.properties.total.properties)).toEqual(
      expect.arrayContaining(['calls_in', 'minutes_out', 'cost', 'pages_in', 'registrations_peak']),
    );
  });
});
