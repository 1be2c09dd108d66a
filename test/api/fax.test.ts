import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { downloadKey } from '../../src/api/plugins/session-auth.js';
import { newId } from '../../src/lib/ids.js';
import { faxHandlers } from '../../src/media/handlers/fax.js';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';
import {
  barPdf,
  encryptedPdf,
  inkBox,
  noPagePdf,
  pagePixels,
  pdfText,
  textPdf,
  tiffInfo,
  zeroAreaPdf,
} from '../media/fax-fixtures.js';

let h: Harness;
let worker: RunningMediaWorker | undefined;
let alice: TestUser;
let bob: TestUser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fax-api-'));

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
  alice = await h.user();
  bob = await h.user();
});
afterAll(async () => {
  await worker?.close();
  await h?.services.media.close();
  await h?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const startWorker = () => {
  worker ??= startMediaWorker(h.services, { concurrency: 1, onError: () => undefined });
};

async function create(u: TestUser, body: unknown = {}): Promise<string> {
  const res = await h.call('POST', '/api/fax', { sid: u.sid, body });
  expect(res.status).toBe('ok');
  return res['uuid'] as string;
}
const get = (u: TestUser, uuid: string) => h.call('GET', `/api/fax/${uuid}`, { sid: u.sid });
async function upload(sid: string | undefined, uuid: string, body: Buffer, query = '') {
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/fax/${uuid}/document.pdf${query}`,
    headers: { 'content-type': 'application/pdf', ...(sid ? { authorization: `Bearer ${sid}` } : {}) },
    payload: body,
  });
  expect(res.statusCode).toBe(200);
  return res.json<Record<string, unknown>>();
}
const fetchFile = (url: string, sid?: string) =>
  h.app.inject({ method: 'GET', url, headers: sid ? { authorization: `Bearer ${sid}` } : {} });
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
/** The fax_convert events of a fax, once there is one (published right after the status change). */
async function convertEvents(uuid: string): Promise<Array<Record<string, any>>> {
  return until(`fax_convert of ${uuid}`, async () => {
    const found = (await eventsOf(alice, 'fax_convert')).filter((e) => e['fax'] === uuid);
    return found.length > 0 ? found : undefined;
  });
}
async function settled(u: TestUser, uuid: string): Promise<Record<string, any>> {
  return until(`fax ${uuid} to leave convert`, async () => {
    const fax = (await get(u, uuid))['fax'] as Record<string, any>;
    return fax['status'] === 'convert' ? undefined : fax;
  });
}

describe('POST /api/fax (spec 3.13)', () => {
  it('creates an empty outgoing fax (spec example) and publishes object_new', async () => {
    const res = await h.call('POST', '/api/fax', {
      sid: alice.sid,
      body: { description: 'A description text' },
    });
    expect(res).toEqual({ status: 'ok', uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const uuid = res['uuid'] as string;
    const sys = (await h.services.users.byId(alice.uuid))!.system_tags;
    const got = await get(alice, uuid);
    expect(got).toEqual({
      status: 'ok',
      fax: {
        owner: alice.uuid,
        time: expect.any(Number),
        description: 'A description text',
        status: 'empty',
        tag: [sys.tag_all, sys.tag_outbox],
        report: {},
      },
    });
    expect(Math.abs(got['fax'].time - Date.now() / 1000)).toBeLessThan(60);
    const created = (await eventsOf(alice, 'object_new')).find((e) => e['object'] === uuid);
    expect(created).toMatchObject({ type: 'fax', owner: alice.uuid, tag: [sys.tag_all, sys.tag_outbox] });
  });

  it('takes no description, and checks it against ^.{0,200}$', async () => {
    const uuid = await create(alice);
    expect((await get(alice, uuid))['fax']).not.toHaveProperty('description');
    expect(
      (await h.call('POST', '/api/fax', { sid: alice.sid, body: { description: 'x'.repeat(201) } })).status,
    ).toBe('wrong-syntax');
    expect((await h.call('POST', '/api/fax', { sid: alice.sid, body: { description: 12 } })).status).toBe(
      'wrong-syntax',
    );
    expect((await h.call('POST', '/api/fax', { sid: alice.sid, body: { description: 'a\nb' } })).status).toBe(
      'wrong-syntax',
    );
  });

  it('needs a user session', async () => {
    expect((await h.call('POST', '/api/fax', { body: {} })).status).toBe('no-session');
    const anon = (await h.call('GET', '/api/session'))['sid'] as string;
    expect((await h.call('POST', '/api/fax', { sid: anon, body: {} })).status).toBe('no-auth');
    const partner = await h.partner();
    expect((await h.call('POST', '/api/fax', { sid: partner.sid, body: {} })).status).toBe('no-auth');
  });
});

describe('GET/POST/DELETE /api/fax/(uuid)', () => {
  it('answers wrong-fax for unknown UUIDs, other users faxes and objects of other types', async () => {
    const mine = await create(alice);
    const other = await h.services.objects.create({ type: 'announcement', owner: alice.uuid });
    for (const [u, id] of [
      [alice, newId()],
      [bob, mine],
      [alice, other.uuid],
    ] as const) {
      expect((await get(u, id)).status).toBe('wrong-fax');
      expect(
        (await h.call('POST', `/api/fax/${id}`, { sid: u.sid, body: { description: 'x' } })).status,
      ).toBe('wrong-fax');
      expect((await h.call('DELETE', `/api/fax/${id}`, { sid: u.sid })).status).toBe('wrong-fax');
    }
    expect((await get(alice, 'not-a-uuid')).status).toBe('wrong-syntax');
    expect((await h.call('GET', `/api/fax/${mine}`)).status).toBe('no-session');
  });

  it('modifies the description (object_modify) and validates it', async () => {
    const uuid = await create(alice, { description: 'old' });
    const res = await h.call('POST', `/api/fax/${uuid}`, {
      sid: alice.sid,
      body: { description: 'A description text' },
    });
    expect(res).toEqual({ status: 'ok' });
    expect((await get(alice, uuid))['fax'].description).toBe('A description text');
    const mod = (await eventsOf(alice, 'object_modify')).filter((e) => e['object'] === uuid);
    expect(mod.at(-1)).toMatchObject({ type: 'fax', owner: alice.uuid, description: 'A description text' });
    expect(
      (await h.call('POST', `/api/fax/${uuid}`, { sid: alice.sid, body: { description: 'x'.repeat(201) } }))
        .status,
    ).toBe('wrong-syntax');
  });

  it('moves to the trash, and with purge deletes the fax and its files', async () => {
    const uuid = await create(alice);
    expect(await h.call('DELETE', `/api/fax/${uuid}`, { sid: alice.sid })).toEqual({ status: 'ok' });
    const sys = (await h.services.users.byId(alice.uuid))!.system_tags;
    expect((await get(alice, uuid))['fax'].tag).toContain(sys.tag_trash);
    const del = (await eventsOf(alice, 'object_delete')).filter((e) => e['object'] === uuid);
    expect(del).toHaveLength(1);
    expect(del[0]).not.toHaveProperty('purge');

    await upload(alice.sid, uuid, await textPdf(1));
    const folder = path.join(h.config.objectDir, 'fax', uuid);
    expect(fs.existsSync(folder)).toBe(true);
    expect(await h.call('DELETE', `/api/fax/${uuid}?purge`, { sid: alice.sid })).toEqual({ status: 'ok' });
    expect((await get(alice, uuid)).status).toBe('wrong-fax');
    expect(fs.existsSync(folder)).toBe(false);
    const purged = (await eventsOf(alice, 'object_delete')).filter((e) => e['object'] === uuid);
    expect(purged.at(-1)).toMatchObject({ purge: true });
  });
});

describe('POST /api/fax/(uuid)/xxx.pdf and the conversion', () => {
  it('refuses what is not a convertible PDF with malformed-file and leaves the fax as it was', async () => {
    const uuid = await create(alice);
    const one = await textPdf(1);
    for (const body of [
      Buffer.from('GIF89a this is not a PDF'),
      Buffer.alloc(0),
      encryptedPdf(one),
      await noPagePdf(),
      await zeroAreaPdf(),
      one.subarray(0, 400),
    ]) {
      expect((await upload(alice.sid, uuid, body)).status).toBe('malformed-file');
    }
    expect((await get(alice, uuid))['fax'].status).toBe('empty');
    expect(fs.existsSync(path.join(h.config.objectDir, 'fax', uuid))).toBe(false);
  });

  it('checks names, options and access', async () => {
    const uuid = await create(alice);
    const pdf = await textPdf(1);
    expect((await upload(alice.sid, uuid, pdf, '?orientation=portrait')).status).toBe('wrong-syntax');
    expect((await upload(alice.sid, uuid, pdf, '?mode=colour')).status).toBe('wrong-syntax');
    expect((await upload(bob.sid, uuid, pdf)).status).toBe('wrong-fax');
    expect((await upload(alice.sid, newId(), pdf)).status).toBe('wrong-fax');
    expect((await upload(undefined, uuid, pdf)).status).toBe('no-session');
    const bad = await h.app.inject({
      method: 'POST',
      url: `/api/fax/${uuid}/document.doc`,
      headers: { authorization: `Bearer ${alice.sid}` },
      payload: pdf,
    });
    expect(bad.json()).toMatchObject({ status: 'wrong-syntax' });
    expect((await get(alice, uuid))['fax'].status).toBe('empty');
  });

  it('answers wrong-state for incoming faxes and faxes with an outgoing report', async () => {
    const incoming = await h.services.objects.create({
      type: 'fax',
      owner: alice.uuid,
      data: { status: 'ok', incoming: true, page_count: 1, x_res: 204, y_res: 196 },
      tags: ['tag_inbox', 'tag_unread'],
    });
    expect((await upload(alice.sid, incoming.uuid, await textPdf(1))).status).toBe('wrong-state');
    const sent = await create(alice);
    await h.services.faxes.createReport({
      fax: sent,
      incoming: false,
      from: '+4922100',
      to: '+4922199',
      status: 'dial',
    });
    expect((await upload(alice.sid, sent, await textPdf(1))).status).toBe('wrong-state');
  });

  it('sets convert, then a worker makes a 1728-pixel TIFF-F: ok, page_count, x_res, y_res, fax_convert', async () => {
    const uuid = await create(alice, { description: 'three pages' });
    const pdf = await textPdf(3);
    // No worker runs yet: the job waits in the queue and the fax stays in `convert`.
    expect(await upload(alice.sid, uuid, pdf)).toEqual({ status: 'ok' });
    const pending = (await get(alice, uuid))['fax'];
    expect(pending.status).toBe('convert');
    expect(pending).not.toHaveProperty('page_count');
    startWorker();
    const fax = await settled(alice, uuid);
    expect(fax).toMatchObject({
      status: 'ok',
      page_count: 3,
      x_res: 204,
      y_res: 196,
      description: 'three pages',
    });
    const conv = await convertEvents(uuid);
    expect(conv).toHaveLength(1);
    expect(conv[0]).toMatchObject({ fax: uuid, page_count: 3 });
    const mods = (await eventsOf(alice, 'object_modify')).filter((e) => e['object'] === uuid);
    expect(mods.length).toBeGreaterThanOrEqual(2);

    // Downloads: the original PDF, the TIFF-F, and pages as PNG.
    const tif = await fetchFile(`/api/fax/${uuid}/fax.tif`, alice.sid);
    expect(tif.statusCode).toBe(200);
    expect(tif.headers['content-type']).toBe('image/tiff');
    expect(tif.headers['content-disposition']).toBe('attachment');
    const tifFile = path.join(tmp, `${uuid}.tif`);
    fs.writeFileSync(tifFile, tif.rawPayload);
    const dirs = tiffInfo(tifFile);
    expect(dirs).toHaveLength(3);
    expect(dirs[0]).toContain('Image Width: 1728');
    expect(dirs[0]).toContain('Resolution: 204, 196 pixels/inch');
    expect(dirs[0]).toContain('Compression Scheme: CCITT Group 4');

    const back = await fetchFile(`/api/fax/${uuid}/fax.pdf?inline`, alice.sid);
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(back.headers['content-disposition']).toBe('inline');
    expect(back.rawPayload.equals(pdf)).toBe(true);

    const p2 = await fetchFile(`/api/fax/${uuid}/page/2/x.png`, alice.sid);
    expect(p2.statusCode).toBe(200);
    expect(p2.headers['content-type']).toBe('image/png');
    expect(await sharp(p2.rawPayload).metadata()).toMatchObject({ format: 'png', width: 1728, height: 2292 });
    const p1 = await fetchFile(`/api/fax/${uuid}/page/1/x.png`, alice.sid);
    expect(p1.rawPayload.equals(p2.rawPayload)).toBe(false);
    // The spec's form page/xxx.png: a numeric name is the page, else ?page=N (default 1).
    expect((await fetchFile(`/api/fax/${uuid}/page/2.png`, alice.sid)).rawPayload.equals(p2.rawPayload)).toBe(
      true,
    );
    expect(
      (await fetchFile(`/api/fax/${uuid}/page/x.png?page=2`, alice.sid)).rawPayload.equals(p2.rawPayload),
    ).toBe(true);
    expect((await fetchFile(`/api/fax/${uuid}/page/x.png`, alice.sid)).rawPayload.equals(p1.rawPayload)).toBe(
      true,
    );
    for (const url of [`page/4/x.png`, `page/0/x.png`, `page/4.png`, `fax.doc`]) {
      const res = await fetchFile(`/api/fax/${uuid}/${url}`, alice.sid);
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe('');
    }

    // Another user's, no session, did + dkey (spec 2.3).
    expect((await fetchFile(`/api/fax/${uuid}/fax.tif`, bob.sid)).statusCode).toBe(404);
    expect((await fetchFile(`/api/fax/${uuid}/fax.tif`)).statusCode).toBe(404);
    const { did } = await h.call('GET', '/api/session', { sid: alice.sid });
    const viaDid = await fetchFile(
      `/api/fax/${uuid}/fax.pdf?did=${did}&dkey=${downloadKey(uuid, alice.sid)}`,
    );
    expect(viaDid.statusCode).toBe(200);
    expect(viaDid.rawPayload.equals(pdf)).toBe(true);
    const page = await fetchFile(
      `/api/fax/${uuid}/page/1/x.png?did=${did}&dkey=${downloadKey(uuid, alice.sid)}`,
    );
    expect(page.statusCode).toBe(200);
    expect(
      (await fetchFile(`/api/fax/${uuid}/fax.pdf?did=${did}&dkey=${downloadKey(newId(), alice.sid)}`))
        .statusCode,
    ).toBe(404);

    // The listing of spec 3.10 shows the fax with its page count.
    const sys = (await h.services.users.byId(alice.uuid))!.system_tags;
    const listed = await h.call('GET', `/api/tag/${sys.tag_outbox}/object`, {
      sid: alice.sid,
      query: { count: '500' },
    });
    expect(listed['object'][uuid]).toMatchObject({ type: 'fax', page_count: 3 });
  });

  it('keeps no contents while a new upload converts, and replaces them when done', async () => {
    startWorker();
    const uuid = await create(alice);
    await upload(alice.sid, uuid, await textPdf(1));
    expect((await settled(alice, uuid)).page_count).toBe(1);
    await upload(alice.sid, uuid, await textPdf(2));
    const fax = await settled(alice, uuid);
    expect(fax.page_count).toBe(2);
    // One content folder remains: the old one and the upload are removed right after the switch.
    const folder = path.join(h.config.objectDir, 'fax', uuid);
    const names = await until('the cleanup', async () => {
      const now = fs.readdirSync(folder);
      return now.length === 1 ? now : undefined;
    });
    expect(names[0]).toMatch(/^c-[0-9a-f]+$/);
  });

  it('passes orientation=landscape and mode=photo to the conversion', async () => {
    startWorker();
    const uuid = await create(alice);
    await upload(alice.sid, uuid, await barPdf('portrait'), '?orientation=landscape&mode=photo');
    expect((await settled(alice, uuid)).status).toBe('ok');
    const tif = path.join(tmp, `${uuid}-land.tif`);
    fs.writeFileSync(tif, (await fetchFile(`/api/fax/${uuid}/x.tif`, alice.sid)).rawPayload);
    const box = inkBox(await pagePixels(tif));
    expect(box.height).toBeGreaterThan(box.width * 10);
  });

  it('sets status fail with fax_convert (no page_count) when the job cannot succeed after its retries', async () => {
    startWorker();
    await worker!.worker.pause();
    const uuid = await create(alice);
    await upload(alice.sid, uuid, await textPdf(1));
    // The stored upload disappears before the worker gets to it: every attempt fails.
    const folder = path.join(h.config.objectDir, 'fax', uuid);
    for (const f of fs.readdirSync(folder)) fs.rmSync(path.join(folder, f), { recursive: true });
    await worker!.worker.resume();
    const fax = await settled(alice, uuid);
    expect(fax.status).toBe('fail');
    expect(fax).not.toHaveProperty('page_count');
    const conv = await convertEvents(uuid);
    expect(conv).toEqual([expect.not.objectContaining({ page_count: expect.anything() })]);
    expect(conv[0]!['fax']).toBe(uuid);
    expect((await fetchFile(`/api/fax/${uuid}/x.pdf`, alice.sid)).statusCode).toBe(404);
  });

  it('fails a document ghostscript cannot draw at once, without retries', async () => {
    await worker?.worker.pause();
    const uuid = await create(alice);
    await upload(alice.sid, uuid, await textPdf(1));
    const folder = path.join(h.config.objectDir, 'fax', uuid);
    const input = path.join(
      folder,
      fs.readdirSync(folder).find((f) => f.startsWith('upload-'))!,
    );
    // Swap the checked upload for one ghostscript gives up on, and run the handler as attempt 1 of 3.
    fs.writeFileSync(input, Buffer.from('%PDF-1.4\nhello world nothing\n'));
    const progress: number[] = [];
    await faxHandlers['fax.convert'](
      { kind: 'fax.convert', objectId: uuid, owner: alice.uuid, input },
      { attempt: 1, final: false, services: h.services, progress: async (p) => void progress.push(p) },
    );
    expect((await get(alice, uuid))['fax'].status).toBe('fail');
    expect(fs.readdirSync(folder)).toEqual([]);
    await worker?.worker.resume();
  });
});

describe('a job that kept crashing its workers (giveUp)', () => {
  it('sets fail without converting, and removes the upload', async () => {
    await worker?.worker.pause();
    const uuid = await create(alice);
    await upload(alice.sid, uuid, await textPdf(1));
    const folder = path.join(h.config.objectDir, 'fax', uuid);
    const input = path.join(
      folder,
      fs.readdirSync(folder).find((f) => f.startsWith('upload-'))!,
    );
    // A half-written work folder of a crashed attempt.
    const leftover = path.join(folder, `.tmp-c-${path.basename(input).slice('upload-'.length)}-x1`);
    fs.mkdirSync(leftover);
    await faxHandlers['fax.convert'](
      { kind: 'fax.convert', objectId: uuid, owner: alice.uuid, input },
      { attempt: 1, final: true, giveUp: true, services: h.services, progress: async () => undefined },
    );
    const fax = (await get(alice, uuid))['fax'];
    expect(fax.status).toBe('fail');
    expect(fs.readdirSync(folder)).toEqual([]);
    const conv = await convertEvents(uuid);
    expect(conv).toHaveLength(1);
    expect(conv[0]).not.toHaveProperty('page_count');
    await worker?.worker.resume();
  });
});

describe('fax reports and the sender report (spec 3.13, 7.9.2)', () => {
  it('lists reports keyed by UUID in time order and publishes fax_report on create and update', async () => {
    const uuid = await create(alice);
    const faxes = h.services.faxes;
    const later = await faxes.createReport({
      fax: uuid,
      incoming: false,
      from: '+492216689712',
      to: '+4925328372322',
      timeStart: 2128383234,
      status: 'transmit',
    });
    const earlier = await faxes.createReport({
      fax: uuid,
      incoming: true,
      from: '+492216689711',
      to: '+492216689712',
      timeStart: 2128383000,
      timeEnd: 2128384351,
      status: 'ok',
      sipStatusCode: 200,
      faxErrorCode: 0,
    });
    const fax = (await get(alice, uuid))['fax'];
    expect(Object.keys(fax.report)).toEqual([earlier.uuid, later.uuid]);
    expect(fax.report[earlier.uuid]).toEqual({
      incoming: true,
      from: '+492216689711',
      to: '+492216689712',
      time_start: 2128383000,
      time_end: 2128384351,
      status: 'ok',
      sip_status_code: 200,
      fax_error_code: 0,
    });
    expect(fax.report[later.uuid]).toEqual({
      incoming: false,
      from: '+492216689712',
      to: '+4925328372322',
      time_start: 2128383234,
      status: 'transmit',
    });
    await faxes.updateReport(later.uuid, { status: 'busy', timeEnd: 2128383300, sipStatusCode: 486 });
    const events = (await eventsOf(alice, 'fax_report')).filter((e) => e['fax'] === uuid);
    expect(events).toHaveLength(3);
    expect(events[2]).toMatchObject({
      fax: uuid,
      report: {
        [later.uuid]: { incoming: false, status: 'busy', time_end: 2128383300, sip_status_code: 486 },
      },
    });
    expect((await eventsOf(bob, 'fax_report')).filter((e) => e['fax'] === uuid)).toEqual([]);
  });

  it('serves the sender report PDF with the details and a first-page thumbnail; did uses the report UUID', async () => {
    startWorker();
    const uuid = await create(alice, { description: 'Vertrag' });
    await upload(alice.sid, uuid, await textPdf(2));
    expect((await settled(alice, uuid)).status).toBe('ok');
    const report = await h.services.faxes.createReport({
      fax: uuid,
      incoming: false,
      from: '+492216689712',
      to: '+4925328372322',
      faxIdent: '+49 221 6689712',
      faxHeader: 'ACME GmbH',
      timeStart: 1_700_000_000,
      timeEnd: 1_700_000_060,
      pages: 2,
      status: 'fail',
      sipStatusCode: 200,
      faxErrorCode: 49,
    });
    const url = `/api/fax/${uuid}/report/${report.uuid}/report.pdf`;
    const res = await fetchFile(`${url}?inline`, alice.sid);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('inline');
    expect((await PDFDocument.load(res.rawPayload)).getPageCount()).toBe(1);
    const text = pdfText(res.rawPayload).replace(/\s+/g, ' ');
    for (const s of ['+4925328372322', 'ACME GmbH', 'Pages 2', 'FAILED', 'Fax error code 49', 'Vertrag']) {
      expect(text).toContain(s);
    }
    expect(res.rawPayload.includes('/Subtype /Image')).toBe(true);

    const { did } = await h.call('GET', '/api/session', { sid: alice.sid });
    expect(
      (await fetchFile(`${url}?did=${did}&dkey=${downloadKey(report.uuid, alice.sid)}`)).statusCode,
    ).toBe(200);
    // The fax UUID is not the dkey object here (spec 3.13).
    expect((await fetchFile(`${url}?did=${did}&dkey=${downloadKey(uuid, alice.sid)}`)).statusCode).toBe(404);
    expect((await fetchFile(url, bob.sid)).statusCode).toBe(404);
    const otherFax = await create(alice);
    expect((await fetchFile(`/api/fax/${otherFax}/report/${report.uuid}/r.pdf`, alice.sid)).statusCode).toBe(
      404,
    );
    expect((await fetchFile(`/api/fax/${uuid}/report/${newId()}/r.pdf`, alice.sid)).statusCode).toBe(404);
  });
});

describe('too-large (FAX_MAX_BYTES)', () => {
  it('refuses a body over the configured limit', async () => {
    // Another API node on the same services, configured with a small limit.
    const small = await buildApp({ ...h.services, config: { ...h.config, faxMaxBytes: 2048 } });
    try {
      const uuid = await create(alice);
      const res = await small.inject({
        method: 'POST',
        url: `/api/fax/${uuid}/big.pdf`,
        headers: { authorization: `Bearer ${alice.sid}` },
        payload: await textPdf(5),
      });
      expect(res.json()).toEqual({ status: 'too-large', message: expect.any(String) });
      expect((await get(alice, uuid))['fax'].status).toBe('empty');
    } finally {
      await small.close();
    }
  });
});
