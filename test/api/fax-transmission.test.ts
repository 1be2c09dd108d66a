import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quotaMonthStart } from '../../src/domain/fax/quota.js';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';
import { pdfText, textPdf } from '../media/fax-fixtures.js';

/**
 * The fax report as the call side fills it (issue 18): the status walk with
 * per-page progress in fax_report events, end states that stay ended, the
 * sender report PDF with the transmission's real figures, and the monthly
 * fax page quota (spec 3.5 `used.fax`).
 */

let h: Harness;
let worker: RunningMediaWorker | undefined;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
  alice = await h.user();
  bob = await h.user();
});
afterAll(async () => {
  await worker?.close();
  await h?.services.media.close();
  await h?.close();
});

async function create(u: TestUser): Promise<string> {
  const res = await h.call('POST', '/api/fax', { sid: u.sid, body: { description: 'Offer' } });
  return res['uuid'] as string;
}
const eventsOf = async (u: TestUser, name: string) =>
  (await h.services.eventLog.read(u.sid, 0)).filter((e) => e.event === name) as Array<Record<string, any>>;

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('fax_report while transmitting (spec 7.9.2 plus per-page progress)', () => {
  it('walks dial -> transmit -> ok; transmit events carry pages_done/page_count, GET keeps the spec shape', async () => {
    const uuid = await create(alice);
    const faxes = h.services.faxes;
    const r = await faxes.createReport({
      fax: uuid,
      incoming: false,
      from: '+492216698123',
      to: '+492216698711',
      status: 'dial',
      pageCount: 3,
    });
    await faxes.updateReport(r.uuid, {
      status: 'transmit',
      sipStatusCode: 200,
      remoteIdent: '+49 221 6698711',
    });
    await faxes.updateReport(r.uuid, { pages: 1 });
    await faxes.updateReport(r.uuid, { pages: 2 });
    await faxes.updateReport(r.uuid, {
      status: 'ok',
      pages: 3,
      timeEnd: r.timeStart + 70,
      faxErrorCode: 0,
      bitRate: 14400,
      ecm: true,
      transport: 't38',
      durationMs: 69_500,
    });
    const events = (await eventsOf(alice, 'fax_report')).filter((e) => e['fax'] === uuid);
    const walk = events.map((e) => e['report'][r.uuid]);
    expect(walk.map((x) => x.status)).toEqual(['dial', 'transmit', 'transmit', 'transmit', 'ok']);
    expect(walk[0]).not.toHaveProperty('pages_done');
    expect(walk.slice(1, 4).map((x) => [x.pages_done, x.page_count])).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    expect(walk[4]).toEqual({
      incoming: false,
      from: '+492216698123',
      to: '+492216698711',
      time_start: r.timeStart,
      time_end: r.timeStart + 70,
      status: 'ok',
      sip_status_code: 200,
      fax_error_code: 0,
    });
    const fax = (await h.call('GET', `/api/fax/${uuid}`, { sid: alice.sid }))['fax'];
    expect(fax.report[r.uuid]).toEqual(walk[4]);
    expect((await eventsOf(bob, 'fax_report')).filter((e) => e['fax'] === uuid)).toEqual([]);
  });

  it('an ended report stays ended: a late update is refused with wrong-state and publishes nothing', async () => {
    const uuid = await create(alice);
    const r = await h.services.faxes.createReport({
      fax: uuid,
      incoming: false,
      from: '+492216698123',
      to: '+492216698711',
      status: 'dial',
    });
    await h.services.faxes.updateReport(r.uuid, { status: 'cancel' });
    await expect(h.services.faxes.updateReport(r.uuid, { status: 'transmit' })).rejects.toMatchObject({
      status: 'wrong-state',
    });
    const events = (await eventsOf(alice, 'fax_report')).filter((e) => e['fax'] === uuid);
    expect(events.map((e) => e['report'][r.uuid].status)).toEqual(['dial', 'cancel']);
  });
});

describe('sender report PDF with the real transmission', () => {
  it('shows remote CSI, pages, duration, speed, ECM, line, result with the T.30 code, every attempt and page 1', async () => {
    worker ??= startMediaWorker(h.services, { concurrency: 1, onError: () => undefined });
    const uuid = await create(alice);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/fax/${uuid}/doc.pdf`,
      headers: { 'content-type': 'application/pdf', authorization: `Bearer ${alice.sid}` },
      payload: await textPdf(3),
    });
    expect(res.json()).toEqual({ status: 'ok' });
    await until('conversion', async () => {
      const f = (await h.call('GET', `/api/fax/${uuid}`, { sid: alice.sid }))['fax'];
      return f.status === 'ok' ? f : undefined;
    });
    const r = await h.services.faxes.createReport({
      fax: uuid,
      incoming: false,
      from: '+492216698123',
      to: '+492216698711',
      faxIdent: '+492216698123',
      faxHeader: 'ACME GmbH',
      timeStart: 1_767_225_600,
      status: 'dial',
      pageCount: 3,
    });
    await h.services.faxes.updateReport(r.uuid, {
      status: 'fail',
      timeEnd: 1_767_225_900,
      sipStatusCode: 200,
      faxErrorCode: 49,
      pages: 2,
      remoteIdent: '+49 221 6698711',
      bitRate: 14400,
      ecm: true,
      transport: 'audio',
      durationMs: 69_000,
      attempts: [
        {
          timeStart: 1_767_225_600,
          timeEnd: 1_767_225_610,
          status: 'busy',
          sipStatusCode: 486,
          faxErrorCode: null,
        },
        {
          timeStart: 1_767_225_800,
          timeEnd: 1_767_225_900,
          status: 'fail',
          sipStatusCode: 200,
          faxErrorCode: 49,
        },
      ],
    });
    const pdf = await h.app.inject({
      method: 'GET',
      url: `/api/fax/${uuid}/report/${r.uuid}/report.pdf`,
      headers: { authorization: `Bearer ${alice.sid}` },
    });
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, ' ');
    for (const s of [
      'Remote ID (CSI) +49 221 6698711',
      'Our ID (TSI) +492216698123',
      'Pages 2 of 3',
      'Duration 1 min 09 s',
      'Speed 14,400 bit/s (V.17)',
      'Error correction ECM on',
      'Line G.711 audio',
      'FAILED',
      'Fax error code 49 (CALLDROPPED: the call dropped prematurely)',
      'Attempt 1',
      'busy (SIP 486)',
      'Attempt 2',
      'fail (SIP 200, T.30 49)',
    ]) {
      expect(text).toContain(s);
    }
    expect(pdf.rawPayload.includes('/Subtype /Image')).toBe(true);
  });
});

describe('fax quota (spec 3.5 used.fax, 3.13 quota-exceeded)', () => {
  it("counts this month's outgoing pages: done pages of ended sends, the page count of sends under way", async () => {
    const carol = await h.user();
    const used = async () => (await h.call('GET', '/api/user', { sid: carol.sid }))['user'].feature.used.fax;
    expect(await used()).toBe(0);
    const uuid = await create(carol);
    const faxes = h.services.faxes;
    const base = { fax: uuid, from: '+492216698123', to: '+492216698711' };
    const done = await faxes.createReport({ ...base, incoming: false, status: 'dial', pageCount: 5 });
    await faxes.updateReport(done.uuid, { status: 'fail', pages: 2 });
    await faxes.createReport({ ...base, incoming: false, status: 'dial', pageCount: 3 });
    // incoming faxes and last month's sends do not count
    await faxes.createReport({ ...base, incoming: true, status: 'ok', pages: 7 });
    const lastMonth = quotaMonthStart(Date.now()) - 24 * 3600;
    await faxes.createReport({ ...base, incoming: false, status: 'ok', pages: 11, timeStart: lastMonth });
    expect(await faxes.outgoingPagesThisMonth(carol.uuid)).toBe(5);
    // GET /api/user is cached for PROFILE_CACHE_MS; the value settles within it
    await until('used.fax', async () => ((await used()) === 5 ? true : undefined), 10_000);
    expect(await faxes.outgoingPagesThisMonth(alice.uuid)).toBeGreaterThanOrEqual(0);
  });

  it('the month starts on the 1st, 00:00 UTC', () => {
    expect(quotaMonthStart(Date.UTC(2026, 11, 31, 23, 59, 59))).toBe(Date.UTC(2026, 11, 1) / 1000);
    expect(quotaMonthStart(Date.UTC(2027, 0, 1, 0, 0, 0))).toBe(Date.UTC(2027, 0, 1) / 1000);
  });
});
