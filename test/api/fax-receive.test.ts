import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFaxTiff } from '../../src/media/processors/fax-render.js';
import { dpi } from '../../src/services/fax-inbox.js';
import { FaxSession } from '../../src/telephony/embedded/fax/fax-session.js';
import { answerT38, LOCAL_T38, t38Session } from '../../src/telephony/embedded/sip/sdp-t38.js';
import { audioLoopback, t38Loopback } from '../helpers/fax-loopback.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';
import { pagePixels, textPdf } from '../media/fax-fixtures.js';

/**
 * Receiving (spec 3.13, issue 18): what the call side does on a fax_enable
 * number, with a real fax stack on both ends (spandsp, back to back, faster
 * than real time) and the services storing what arrives.
 */

let h: Harness;
let alice: TestUser;
let dir: string;
let tiff: string;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
  alice = await h.user();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fax-rx-'));
  fs.writeFileSync(path.join(dir, 'doc.pdf'), await textPdf(3));
  tiff = path.join(dir, 'doc.tif');
  await renderFaxTiff({ input: path.join(dir, 'doc.pdf'), output: tiff, workDir: dir });
});
afterAll(async () => {
  await h?.services.media.close();
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const events = async (u: TestUser, name: string) =>
  ((await h.services.eventLog.read(u.sid, 0)) as Array<Record<string, any>>).filter(
    (e) => e['event'] === name,
  );

async function receive(transport: 'audio' | 't38', hangupAfterPages?: number) {
  const inbox = h.services.faxInbox;
  const incoming = await inbox.startReceive({
    owner: alice.uuid,
    from: '+492216698123',
    to: '+492216698711',
  });
  const t38 = transport === 't38' ? t38Session(LOCAL_T38, LOCAL_T38, answerT38(LOCAL_T38)) : undefined;
  const sender = new FaxSession({ direction: 'send', ident: '+492216698123', tiff }, t38);
  const receiver = new FaxSession(
    { direction: 'receive', ident: '+492216698711', output: incoming.output },
    t38,
  );
  const pages: Promise<void>[] = [];
  receiver.on('page', (p) => {
    pages.push(inbox.pageReceived(incoming, p.pagesDone));
    if (p.pagesDone === hangupAfterPages) {
      sender.hangup();
      receiver.hangup();
    }
  });
  if (transport === 'audio') audioLoopback(sender, receiver, 'PCMU');
  else t38Loopback(sender, receiver);
  await Promise.all(pages);
  const r = receiver.result!;
  const done = await inbox.finishReceive(incoming, { ...r, sipStatusCode: 200 });
  sender.close();
  receiver.close();
  return { incoming, ...done };
}

describe('a fax received on a fax_enable number', () => {
  it('lands in the inbox, unread: record while receiving, then ok with pages, resolution, PNG pages and PDF', async () => {
    const { incoming, report, push } = await receive('t38');
    const fax = (await h.call('GET', `/api/fax/${incoming.fax}`, { sid: alice.sid }))['fax'];
    const user = (await h.call('GET', '/api/user', { sid: alice.sid }))['user'];
    expect(fax).toMatchObject({ status: 'ok', page_count: 3, x_res: 204, y_res: 196 });
    expect(fax.tag).toEqual(expect.arrayContaining([user.tag_all, user.tag_inbox, user.tag_unread]));
    expect(fax.tag).not.toContain(user.tag_outbox);
    expect(fax.report[report.uuid]).toEqual({
      incoming: true,
      from: '+492216698123',
      to: '+492216698711',
      time_start: expect.any(Number),
      time_end: expect.any(Number),
      status: 'ok',
      sip_status_code: 200,
      fax_error_code: 0,
    });
    expect(report).toMatchObject({
      remoteIdent: '+492216698123',
      transport: 't38',
      bitRate: 14400,
      pages: 3,
    });
    expect(push).toEqual({
      owner: alice.uuid,
      message: 'fax_new',
      fax: incoming.fax,
      phone: '+492216698123',
      page_count: '3',
    });
    // object_new in record, fax_report transmit -> pages -> ok, object_modify to ok
    const news = (await events(alice, 'object_new')).filter((e) => e['object'] === incoming.fax);
    expect(news).toHaveLength(1);
    const walk = (await events(alice, 'fax_report'))
      .filter((e) => e['fax'] === incoming.fax)
      .map((e) => e['report'][report.uuid])
      .map((x) => (x.status === 'transmit' ? `transmit:${x.pages_done}` : x.status));
    expect(walk).toEqual(['transmit:0', 'transmit:1', 'transmit:2', 'transmit:3', 'ok']);
    const png = await h.app.inject({
      method: 'GET',
      url: `/api/fax/${incoming.fax}/page/2.png`,
      headers: { authorization: `Bearer ${alice.sid}` },
    });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const pdf = await h.app.inject({
      method: 'GET',
      url: `/api/fax/${incoming.fax}/fax.pdf`,
      headers: { authorization: `Bearer ${alice.sid}` },
    });
    expect(pdf.statusCode).toBe(200);
    const doc = await PDFDocument.load(pdf.rawPayload);
    expect(doc.getPageCount()).toBe(3);
    // 1728 pixels at 204 dpi: an A4-wide page (8.47 in = 610 pt)
    expect(Math.round(doc.getPage(0).getWidth())).toBe(610);
    // the stored TIFF is what was sent, below the sender's header rows (none here)
    const tif = await h.app.inject({
      method: 'GET',
      url: `/api/fax/${incoming.fax}/fax.tif`,
      headers: { authorization: `Bearer ${alice.sid}` },
    });
    const stored = path.join(dir, 'stored.tif');
    fs.writeFileSync(stored, tif.rawPayload);
    const [a, b] = [await pagePixels(tiff, 0), await pagePixels(stored, 0)];
    expect(b.data.equals(a.data)).toBe(true);
  });

  it('a hang-up after page 1: the report fails with the T.30 code, the fax keeps the page that arrived', async () => {
    const { incoming, report, push } = await receive('audio', 1);
    const fax = (await h.call('GET', `/api/fax/${incoming.fax}`, { sid: alice.sid }))['fax'];
    expect(fax).toMatchObject({ status: 'ok', page_count: 1 });
    expect(fax.report[report.uuid]).toMatchObject({ status: 'fail', fax_error_code: expect.any(Number) });
    expect(fax.report[report.uuid].fax_error_code).not.toBe(0);
    expect(push?.page_count).toBe('1');
  });

  it('nothing received: the fax is fail without contents', async () => {
    const inbox = h.services.faxInbox;
    const incoming = await inbox.startReceive({ owner: alice.uuid, from: '+4930111', to: '+492216698711' });
    const { push } = await inbox.finishReceive(incoming, {
      status: 'fail',
      faxErrorCode: 3,
      pagesDone: 0,
      remoteIdent: '',
      bitRate: 0,
      ecm: false,
      transport: 'audio',
      xResolution: 0,
      yResolution: 0,
      durationMs: 35_000,
      sipStatusCode: 200,
    });
    const fax = (await h.call('GET', `/api/fax/${incoming.fax}`, { sid: alice.sid }))['fax'];
    expect(fax.status).toBe('fail');
    expect(fax).not.toHaveProperty('page_count');
    expect(push).toBeNull();
  });

  it('T.30 resolutions in dpi as spec 3.13 shows them', () => {
    expect([dpi(8031), dpi(7700), dpi(3850), dpi(15400)]).toEqual([204, 196, 98, 392]);
  });
});
