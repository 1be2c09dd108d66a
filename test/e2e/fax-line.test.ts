/**
 * Fax over the line (spec 3.13, 7.9.2, 8.2.1, issue 18), end to end on the
 * wire: `POST /api/fax/(uuid)/send` from one user's number to another
 * user's fax_enable number, through the carrier trunk that points at the
 * engine itself. The sending attempt is an outgoing SIP call of the engine,
 * the receiving side the same engine's inbound call on the fax number: SIP,
 * RTP (G.711 audio fax) or UDPTL after the re-INVITE to image/t38, spandsp
 * on both ends in real time. Failure paths: a carrier answering 486 (sipp),
 * a refused T.38 re-INVITE, 2 % of the UDPTL datagrams lost, the far end
 * hanging up mid-page.
 *
 * The faxes are independent and run at once (one engine holds many fax
 * calls), so the file takes about as long as its longest fax. What differs
 * between them is set per fax through a wrapper of the engine's
 * MediaPort.fax, keyed by the station ident (the sender's number, the
 * receiver's fax number): T.38 off on one side, a lossy UDPTL socket, a
 * hang-up. Nothing of it is in the production code paths.
 */
import type { Socket } from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, type PDFNumber } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { startPushWorker, type RunningPushWorker } from '../../src/push/worker.js';
import type { FaxHandle, FaxOptions, Leg } from '../../src/telephony/adapter.js';
import { prng } from '../helpers/fax-loopback.js';
import type { TestUser } from '../helpers/harness.js';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';
import { drachtioCarrier } from '../helpers/drachtio-carrier.js';
import { ecKeyPair, fakeApns, type FakeProvider } from '../helpers/push-servers.js';
import { SIPP_AVAILABLE, startSipp } from '../helpers/sipp.js';
import { createTelephonyHarness, eventually, freePort, type TelephonyHarness } from '../helpers/telephony.js';
import { pagePixels, pdfText, textPdf } from '../media/fax-fixtures.js';

type Ev = Record<string, any>;

const APP = '39JSDKGJ38.de.cospace.app';
const ON_FREESWITCH = process.env['TEST_TELEPHONY'] === 'freeswitch';

const DEVICE = 'fa'.repeat(32);
const FINAL = ['ok', 'fail', 'busy', 'error', 'cancel'];

async function faxWithPages(h: TelephonyHarness, u: TestUser, pages: number): Promise<string> {
  const uuid = (await h.call('POST', '/api/fax', { sid: u.sid, body: {} }))['uuid'] as string;
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/fax/${uuid}/doc.pdf`,
    headers: { 'content-type': 'application/pdf', authorization: `Bearer ${u.sid}` },
    payload: await textPdf(pages),
  });
  expect(res.json()).toEqual({ status: 'ok' });
  await eventually(
    async () => (await h.call('GET', `/api/fax/${uuid}`, { sid: u.sid }))['fax'].status === 'ok',
    'the conversion',
    90_000,
  );
  return uuid;
}

const reportEvents = async (h: TelephonyHarness, u: TestUser, fax: string, report: string) =>
  ((await h.services.eventLog.read(u.sid, 0)) as Ev[])
    .filter((e) => e['event'] === 'fax_report' && e['fax'] === fax)
    .map((e) => e['report'][report])
    .filter((r) => r !== undefined);

/** Statuses in order, repeats folded: dial, transmit, ok ... */
const walk = (reports: Ev[]) =>
  reports.map((r) => r['status'] as string).filter((s, i, all) => i === 0 || all[i - 1] !== s);

/** pages_done of the `transmit` events, repeats folded. */
const pagesWalk = (reports: Ev[]) =>
  reports
    .filter((r) => r['status'] === 'transmit')
    .map((r) => r['pages_done'] as number)
    .filter((p, i, all) => i === 0 || all[i - 1] !== p);

async function tiffOf(h: TelephonyHarness, u: TestUser, fax: string, dir: string, name: string) {
  const res = await h.app.inject({
    method: 'GET',
    url: `/api/fax/${fax}/fax.tif`,
    headers: { authorization: `Bearer ${u.sid}` },
  });
  expect(res.statusCode).toBe(200);
  const file = path.join(dir, name);
  fs.writeFileSync(file, res.rawPayload);
  return file;
}

/**
 * Share of pixels that differ between a sent and a received page, the
 * received page moved down by the rows the sender's header line put on top
 * (the header band, 64 rows, left out): spandsp of 2012 adds them to the
 * page, spandsp of 2023 (FreeSWITCH's) keeps the page's length and pushes
 * its bottom off, so the shift is the one where the pages match best, at
 * least the added height. The ink of the header must be there on the
 * received page.
 */
async function pageDifference(sent: string, received: string, page: number) {
  const a = await pagePixels(sent, page);
  const b = await pagePixels(received, page);
  expect(b.width).toBe(a.width);
  const band = 64;
  const ink = (img: typeof a, i: number) => img.data[i]! < 128;
  const differing = (shift: number) => {
    let differ = 0;
    let total = 0;
    for (let y = band; y < a.height - band && y + shift < b.height; y++) {
      for (let x = 0; x < a.width; x++) {
        total++;
        if (ink(a, y * a.width + x) !== ink(b, (y + shift) * b.width + x)) differ++;
      }
    }
    return differ / total;
  };
  // The shift: where the rows' ink counts match best.
  const rows = (img: typeof a) =>
    Array.from({ length: img.height }, (_, y) => {
      let n = 0;
      for (let x = 0; x < img.width; x++) if (ink(img, y * img.width + x)) n++;
      return n;
    });
  const ra = rows(a);
  const rb = rows(b);
  const first = Math.max(0, b.height - a.height);
  let best = first;
  let bestCost = Infinity;
  for (let shift = first; shift <= first + band; shift++) {
    let cost = 0;
    for (let y = band; y < a.height - band && y + shift < b.height; y++)
      cost += Math.abs(ra[y]! - rb[y + shift]!);
    if (cost < bestCost) [best, bestCost] = [shift, cost];
  }
  const share = differing(best);
  let headerInk = 0;
  for (let i = 0; i < band * b.width; i++) if (ink(b, i)) headerInk++;
  return { share, headerInk };
}

interface Loss {
  rate: number;
  random: () => number;
  sent: number;
  dropped: number;
  /** This side's UDPTL receiver at the end: IFP packets recovered from redundancy, lost for good. */
  received?: { recovered: number; lost: number } | null;
  /** Called with the count after each datagram this side sends. */
  onSent?: (sent: number) => void;
}

/** The images of a PDF (pdf-lib writes a PNG as Flate-compressed pixels): size and mean grey (0 black, 255 white). */
async function pdfImages(pdf: Buffer): Promise<Array<{ width: number; height: number; meanGrey: number }>> {
  const doc = await PDFDocument.load(pdf);
  const out = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream) || obj.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image'))
      continue;
    const width = (obj.dict.get(PDFName.of('Width')) as PDFNumber).asNumber();
    const height = (obj.dict.get(PDFName.of('Height')) as PDFNumber).asNumber();
    if (obj.dict.get(PDFName.of('Filter')) !== PDFName.of('FlateDecode')) continue;
    const pixels = zlib.inflateSync(obj.contents);
    const channels = pixels.length / (width * height);
    let sum = 0;
    for (let i = 0; i < pixels.length; i += channels) sum += pixels[i]!;
    out.push({ width, height, meanGrey: sum / (width * height) });
  }
  return out;
}

/** What one side of one fax does differently (keyed by its station ident). */
interface LineRule {
  /** This side wants no T.38 (receiving: no re-INVITE; sending: the far end's offer gets 488). */
  noT38?: boolean;
  /** This side's UDPTL socket loses a share of the datagrams it sends. */
  loss?: Loss;
  /** Sees the leg and the fax as they start. */
  onFax?: (leg: Leg, fax: FaxHandle) => void;
}

/**
 * Counts the datagrams the fax's UDPTL socket sends once the fax moved to
 * T.38, and loses `loss.rate` of them. The socket (and at the end the
 * session's UDPTL receiver statistics) are the embedded LineFax's own,
 * private fields: were they not where they are looked for, nothing would be
 * counted and the tests' counts would fail.
 */
function lossyUdptl(fax: FaxHandle, loss: Loss): void {
  fax.on('transport', (t) => {
    if (t !== 't38') return;
    const socket = (fax as unknown as { udptl: Socket | null }).udptl;
    if (!socket) throw new Error('no UDPTL socket on the fax handle');
    const send = socket.send.bind(socket) as (...args: unknown[]) => void;
    (socket as unknown as { send: (...args: unknown[]) => void }).send = (...args: unknown[]) => {
      loss.sent++;
      loss.onSent?.(loss.sent);
      if (loss.random() < loss.rate) {
        loss.dropped++;
        return;
      }
      send(...args);
    };
  });
  void fax.done.then(() => {
    const session = (fax as unknown as { session: { udptlStats: Loss['received'] } }).session;
    loss.received = session.udptlStats;
  });
}

describe.skipIf(!SIPP_AVAILABLE)('fax over the line (trunk looped back to the engine; sipp carrier)', () => {
  let h: TelephonyHarness;
  let busyH: TelephonyHarness;
  const workers: RunningMediaWorker[] = [];
  let push: RunningPushWorker;
  let apns: FakeProvider;
  let alice: TestUser;
  let bob: TestUser;
  /** Alice's numbers, one per fax. */
  let from: Record<'t38' | 'audio' | 'refused' | 'lossy' | 'hangup', string>;
  /** Bob's fax numbers, one per fax. */
  let to: typeof from;
  let dir: string;
  const rules = new Map<string, LineRule>();
  let carrier: { sip: string; close: () => void } | null = null;

  beforeAll(async () => {
    const ec = ecKeyPair();
    apns = await fakeApns();
    const sip = await freePort();
    // On FreeSWITCH the looped trunk is a carrier on a second drachtio-server that calls the number
    // back (test/helpers/drachtio-carrier.ts); its media relay loses the lossy fax's UDPTL datagrams.
    const digits = (n: string) => n.replace(/\D/g, '');
    if (ON_FREESWITCH)
      carrier = await drachtioCarrier(
        (n) => [...rules].find(([ident]) => digits(ident) === digits(n))?.[1].loss,
      );
    // One after the other: a harness's in-process database set-up holds the event loop for seconds.
    h = await createTelephonyHarness({
      SESSION_CREATE_LIMIT: '10000',
      SIP_PORT: String(sip),
      // The carrier trunk is the engine itself: a fax call leaves and comes back as a carrier call
      // (on FreeSWITCH through a proxy that sends it back to drachtio: two FreeSWITCH channels fax).
      SIP_TRUNK: carrier ? carrier.sip : `127.0.0.1:${sip}`,
      FAX_RETRIES: '0',
      PUSH_APNS_APP_IDS: APP,
      PUSH_APNS_TEAM_ID: 'TEAM123456',
      PUSH_APNS_KEY_ID: 'KEY1234567',
      PUSH_APNS_KEY: ec.privatePem,
      PUSH_APNS_URL: apns.url,
      PUSH_APNS_SANDBOX_URL: apns.url,
    });
    // On FreeSWITCH the busy carrier's harness runs on the embedded engine: a second adapter on the
    // same drachtio-server would be handed every other call of the looped trunk (drachtio-server
    // shares new requests among its applications).
    busyH = await createTelephonyHarness(
      { SESSION_CREATE_LIMIT: '10000', FAX_RETRIES: '1', FAX_RETRY_DELAYS: '1' },
      { telephony: 'embedded' },
    );
    workers.push(startMediaWorker(h.services, { concurrency: 2, onError: () => undefined }));
    workers.push(startMediaWorker(busyH.services, { concurrency: 1, onError: () => undefined }));
    push = startPushWorker({
      config: h.config,
      devices: h.services.push,
      queue: h.services.pushQueue,
      onError: () => undefined,
    });
    const kinds = ['t38', 'audio', 'refused', 'lossy', 'hangup'] as const;
    const a = await userWithNumbers(h, kinds.length);
    const b = await userWithNumbers(h, kinds.length);
    alice = a.user;
    bob = b.user;
    from = Object.fromEntries(kinds.map((k, i) => [k, a.numbers[i]!])) as typeof from;
    to = Object.fromEntries(kinds.map((k, i) => [k, b.numbers[i]!])) as typeof to;
    for (const n of b.numbers) {
      await updatePhone(h, bob.sid, n, {
        fax_enable: true,
        conference_enable: false,
        recording_enable: false,
      });
    }
    // Bob's phone gets the fax_new pushes (spec 8.2.1).
    const reg = await h.call('POST', '/api/push', {
      sid: bob.sid,
      body: { system: 'apns', action: 'add', device_token: DEVICE, application_id: APP, sandbox: false },
    });
    expect(reg['status']).toBe('ok');

    const media = h.telephony.engine.ctx.media;
    const fax = media.fax.bind(media);
    media.fax = (leg: Leg, opts: FaxOptions) => {
      const rule = rules.get(opts.ident);
      const handle = fax(leg, rule?.noT38 ? { ...opts, t38: false } : opts);
      if (rule?.loss && !ON_FREESWITCH) lossyUdptl(handle, rule.loss);
      rule?.onFax?.(leg, handle);
      return handle;
    };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fax-line-'));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await push?.close();
    await h?.services.media.close();
    await busyH?.services.media.close();
    await Promise.all([h?.close(), busyH?.close()]);
    await apns?.close();
    carrier?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Sends a fax of `pages` pages from alice's `kind` number to bob's; resolves at the report's end. */
  async function send(kind: keyof typeof from, pages: number, header = `CALLPLANE ${kind.toUpperCase()}`) {
    const fax = await faxWithPages(h, alice, pages);
    const t0 = Date.now();
    const res = await h.call('POST', `/api/fax/${fax}/send`, {
      sid: alice.sid,
      body: { from: from[kind], to: to[kind], fax_header: header },
    });
    expect(res['status']).toBe('ok');
    const report = res['uuid'] as string;
    const done = await eventually(
      async () => {
        const r = await h.services.faxes.report(report);
        return r && FINAL.includes(r.status) ? r : null;
      },
      `the ${kind} send to end`,
      240_000,
    );
    const seconds = (Date.now() - t0) / 1000;
    // Events go out through the outbox, a moment after the report changed.
    const events = await eventually(async () => {
      const e = await reportEvents(h, alice, fax, report);
      return e.at(-1)?.['status'] === done.status ? e : null;
    }, 'the last fax_report event');
    return { fax, report, done, events, seconds, t0 };
  }

  /** Bob's fax that came in on `number` after `t0`, once its incoming report ended, with its events. */
  async function received(number: string, t0: number) {
    const hit = await eventually(
      async () => {
        const evs = (await h.services.eventLog.read(bob.sid, 0)) as Ev[];
        return evs.find(
          (e) =>
            e['event'] === 'fax_report' &&
            Object.values(e['report'] as Record<string, Ev>).some(
              (r) =>
                r['incoming'] &&
                r['to'] === number &&
                FINAL.includes(r['status']) &&
                r['time_start'] >= Math.floor(t0 / 1000),
            ),
        );
      },
      `the fax received on ${number}`,
      60_000,
    );
    const rx = hit['fax'] as string;
    const fax = (await h.call('GET', `/api/fax/${rx}`, { sid: bob.sid }))['fax'] as Ev;
    const reports = Object.entries(fax['report'] as Record<string, Ev>);
    expect(reports).toHaveLength(1);
    const [reportId, report] = reports[0]!;
    const events = ((await h.services.eventLog.read(bob.sid, 0)) as Ev[])
      .filter((e) => e['event'] === 'fax_report' && e['fax'] === rx)
      .map((e) => e['report'][reportId] as Ev)
      .filter((r) => r !== undefined);
    return { rx, fax, report, reportId, events };
  }

  /** The received pages match the sent ones (below the printed header line). */
  async function comparePages(kind: string, sentFax: string, rx: string, pages: number) {
    const sentTif = await tiffOf(h, alice, sentFax, dir, `${kind}-sent.tif`);
    const gotTif = await tiffOf(h, bob, rx, dir, `${kind}-received.tif`);
    const diffs = [];
    for (let p = 0; p < pages; p++) diffs.push(await pageDifference(sentTif, gotTif, p));
    for (const d of diffs) {
      expect(d.share).toBeLessThan(0.005);
      expect(d.headerInk).toBeGreaterThan(100);
    }
    return diffs.map((d) => (d.share * 100).toFixed(3) + '%').join(', ');
  }

  /** A 3-page fax, both ends ok, events in order with per-page progress, pages compared. */
  async function threePages(kind: 't38' | 'audio') {
    const s = await send(kind, 3);
    expect(s.done).toMatchObject({ status: 'ok', pages: 3, pageCount: 3, transport: kind, faxErrorCode: 0 });
    expect(s.done.bitRate).toBeGreaterThanOrEqual(9600);
    // The sender's events: dial -> transmit (pages_done 0..3 of page_count 3) -> ok.
    expect(walk(s.events)).toEqual(['dial', 'transmit', 'ok']);
    expect(pagesWalk(s.events)).toEqual([0, 1, 2, 3]);
    for (const r of s.events.filter((e) => e['status'] === 'transmit')) expect(r['page_count']).toBe(3);
    expect(s.events.at(-1)).toMatchObject({
      status: 'ok',
      sip_status_code: 200,
      fax_error_code: 0,
    });
    // Progress is for the transmitting phase; the final report is the spec's.
    expect(s.events.at(-1)).not.toHaveProperty('pages_done');

    // Bob's inbox: the new fax, ok with 3 pages; its incoming report walked transmit (pages 0..3) -> ok.
    const r = await received(to[kind], s.t0);
    expect(r.fax).toMatchObject({ status: 'ok', page_count: 3, x_res: 204 });
    expect(r.report).toMatchObject({
      incoming: true,
      from: from[kind],
      to: to[kind],
      status: 'ok',
      sip_status_code: 200,
      fax_error_code: 0,
    });
    expect(walk(r.events)).toEqual(['transmit', 'ok']);
    expect(pagesWalk(r.events)).toEqual([0, 1, 2, 3]);
    expect(r.events.at(-1)).toMatchObject({ status: 'ok', fax_error_code: 0 });
    const diffs = await comparePages(kind, s.fax, r.rx, 3);
    return { ...s, rx: r.rx, diffs };
  }

  /** GET /api/fax/(fax)/report/(report)/x.pdf as text, and whether it holds an image. */
  async function senderReport(fax: string, report: string) {
    const res = await h.app.inject({
      method: 'GET',
      url: `/api/fax/${fax}/report/${report}/report.pdf`,
      headers: { authorization: `Bearer ${alice.sid}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    return {
      text: pdfText(res.rawPayload).replace(/\s+/g, ' '),
      images: await pdfImages(res.rawPayload),
    };
  }

  it.concurrent(
    '3 pages as T.38 (re-INVITE to image/t38, UDPTL with redundancy): both ok, pages match, sender report, fax_new push',
    async () => {
      const s = await threePages('t38');
      console.info(
        `fax T.38: 3 pages in ${s.seconds.toFixed(1)} s at ${s.done.bitRate} bit/s, ` +
          `pixel difference below the header ${s.diffs}`,
      );
      // The sender report holds the transmission's real figures and a thumbnail of page 1.
      const pdf = await senderReport(s.fax, s.report);
      const seconds = Math.round(s.done.durationMs! / 1000);
      expect(seconds).toBeGreaterThan(10);
      for (const line of [
        'Fax transmission report',
        `Sender ${from.t38}`,
        `Recipient ${to.t38}`,
        // The receiving number's CSI is its number.
        `Remote ID (CSI) ${to.t38}`,
        'Header line CALLPLANE T38',
        `Duration ${seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`}`,
        'Pages 3 of 3',
        `Speed ${s.done.bitRate!.toLocaleString('en-US')} bit/s (${s.done.bitRate! > 9600 ? 'V.17' : 'V.29'})`,
        `Error correction ECM ${s.done.ecm ? 'on' : 'off'}`,
        'Line T.38 (UDPTL)',
        'Result OK: the fax was transmitted successfully',
        'SIP status code 200',
        'Fax error code 0 (OK)',
        'First page',
      ]) {
        expect(pdf.text).toContain(line);
      }
      expect(s.done.ecm).toBe(true);
      // The thumbnail is page 1 of the sent document: its shape (300 pixels wide, the height
      // corrected for the fax's 204 x 196 dpi) and its grey, the page's ink share averaged.
      const page1 = await pagePixels(path.join(dir, 't38-sent.tif'), 0);
      let white = 0;
      for (const v of page1.data) white += v;
      const pageGrey = white / page1.data.length;
      const opaque = pdf.images.filter((i) => i.width === 300);
      expect(opaque).toHaveLength(1);
      const thumb = opaque[0]!;
      expect(thumb.height / ((300 * page1.height * (204 / 196)) / page1.width)).toBeCloseTo(1, 1);
      expect(thumb.meanGrey).toBeLessThan(254);
      expect(Math.abs(thumb.meanGrey - pageGrey)).toBeLessThan(6);
      console.info(
        `sender report thumbnail ${thumb.width}x${thumb.height}, mean grey ${thumb.meanGrey.toFixed(1)} ` +
          `(page 1: ${pageGrey.toFixed(1)})`,
      );
      // spec 8.2.1: bob's device hears of the new fax, with its pages.
      const pushed = await eventually(
        async () =>
          apns.requests
            .filter((r) => r.path === `/3/device/${DEVICE}`)
            .map((r) => JSON.parse(r.body) as Ev)
            .find((b) => b['fax'] === s.rx),
        'the fax_new push',
        30_000,
      );
      expect(pushed).toEqual({
        aps: { 'content-available': 1 },
        owner: bob.uuid,
        message: 'fax_new',
        fax: s.rx,
        phone: from.t38,
        page_count: 3,
      });
    },
    300_000,
  );

  it.concurrent(
    '3 pages as G.711 audio fax when the receiving side asks for no T.38: both ok, pages match',
    async () => {
      rules.set(to.audio, { noT38: true });
      const s = await threePages('audio');
      console.info(
        `fax G.711: 3 pages in ${s.seconds.toFixed(1)} s at ${s.done.bitRate} bit/s, ` +
          `pixel difference below the header ${s.diffs}`,
      );
      const pdf = await senderReport(s.fax, s.report);
      expect(pdf.text).toContain('Line G.711 audio');
      expect(pdf.text).toContain('Pages 3 of 3');
    },
    300_000,
  );

  it.concurrent(
    'the sending side refuses the T.38 re-INVITE (488): the fax goes on as G.711 audio and arrives',
    async () => {
      let offered = 0;
      rules.set(from.refused, { noT38: true });
      rules.set(to.refused, { onFax: (_leg, fax) => fax.on('transport', () => offered++) });
      const s = await send('refused', 1);
      expect(s.done).toMatchObject({ status: 'ok', pages: 1, transport: 'audio', faxErrorCode: 0 });
      expect(offered).toBe(0);
      const r = await received(to.refused, s.t0);
      expect(r.fax).toMatchObject({ status: 'ok', page_count: 1 });
      expect(r.report).toMatchObject({ status: 'ok', fax_error_code: 0 });
      expect((await h.services.faxes.report(r.reportId))?.transport).toBe('audio');
      const diffs = await comparePages('refused', s.fax, r.rx, 1);
      console.info(
        `fax after a refused T.38 re-INVITE: 1 page in ${s.seconds.toFixed(1)} s on audio (${diffs})`,
      );
    },
    300_000,
  );

  it.concurrent(
    'T.38 with 2 % of the UDPTL datagrams lost each way: redundancy recovers, both ok, the page matches',
    async () => {
      const out: Loss = { rate: 0.02, random: prng(18), sent: 0, dropped: 0 };
      const back: Loss = { rate: 0.02, random: prng(38), sent: 0, dropped: 0 };
      rules.set(from.lossy, { loss: out });
      rules.set(to.lossy, { loss: back });
      const s = await send('lossy', 1);
      expect(s.done).toMatchObject({ status: 'ok', pages: 1, transport: 't38', faxErrorCode: 0 });
      const r = await received(to.lossy, s.t0);
      expect(r.fax).toMatchObject({ status: 'ok', page_count: 1 });
      expect(r.report).toMatchObject({ status: 'ok', fax_error_code: 0 });
      expect((await h.services.faxes.report(r.reportId))?.transport).toBe('t38');
      const diffs = await comparePages('lossy', s.fax, r.rx, 1);
      console.info(
        `fax T.38 with loss: 1 page in ${s.seconds.toFixed(1)} s; lost ${out.dropped}/${out.sent} datagrams ` +
          `sender to receiver (receiver recovered ${JSON.stringify(back.received)}), ` +
          `${back.dropped}/${back.sent} back (sender recovered ${JSON.stringify(out.received)}); pixel difference ${diffs}`,
      );
      // About 2 % of the image data's datagrams were lost, and the receiver got them back from the redundancy.
      expect(out.sent).toBeGreaterThan(200);
      expect(out.dropped).toBeGreaterThan(0);
      expect(out.dropped / out.sent).toBeGreaterThan(0.005);
      expect(out.dropped / out.sent).toBeLessThan(0.05);
      // The receiver's own count of what its UDPTL redundancy recovered is the embedded engine's (on
      // FreeSWITCH the datagrams are lost in the carrier, and the page arriving whole tells the same).
      if (ON_FREESWITCH) return;
      expect(back.received).toMatchObject({ lost: 0 });
      expect(back.received!.recovered).toBeGreaterThan(0);
      expect(back.received!.recovered).toBeLessThanOrEqual(out.dropped);
    },
    300_000,
  );

  it.concurrent(
    'the far end hangs up mid-page (BYE): the send ends fail with the T.30 code 49, the reception fail too',
    async () => {
      // The far end hangs up (a BYE on its leg) once the sender has sent 200 UDPTL datagrams: the
      // page's image data is flowing (a 1-page fax is some 700 of them, the T.30 frames before it
      // a few dozen), and the page is not done (pages 0 below).
      let farLeg: Leg | null = null;
      let hungUpAt = 0;
      rules.set(to.hangup, { onFax: (leg) => (farLeg = leg) });
      const sender: Loss = { rate: 0, random: () => 1, sent: 0, dropped: 0 };
      sender.onSent = (n) => {
        if (n !== 200 || !farLeg) return;
        hungUpAt = n;
        farLeg.hangup();
      };
      rules.set(from.hangup, { loss: sender });
      const s = await send('hangup', 1);
      expect(hungUpAt).toBe(200);
      // The sender went on a moment (the BYE's way), then its T.30 was cut short.
      expect(sender.sent).toBeLessThan(600);
      expect(s.done).toMatchObject({ status: 'fail', sipStatusCode: 200, faxErrorCode: 49, pages: 0 });
      expect(s.done.attempts).toHaveLength(1);
      expect(walk(s.events)).toEqual(['dial', 'transmit', 'fail']);
      expect(s.events.at(-1)).toMatchObject({
        status: 'fail',
        sip_status_code: 200,
        fax_error_code: 49,
      });
      // While transmitting, the events said which page: none of the 1 was done.
      const transmit = s.events.filter((e) => e['status'] === 'transmit');
      expect(transmit.length).toBeGreaterThan(0);
      for (const e of transmit) expect(e).toMatchObject({ pages_done: 0, page_count: 1 });
      const r = await received(to.hangup, s.t0);
      expect(r.fax).toMatchObject({ status: 'fail' });
      expect(r.report).toMatchObject({ status: 'fail', fax_error_code: 49 });
      const pdf = await senderReport(s.fax, s.report);
      for (const line of [
        'Result FAILED: the fax transmission failed',
        'Pages 0 of 1',
        'Fax error code 49 (CALLDROPPED: the call dropped prematurely)',
      ]) {
        expect(pdf.text).toContain(line);
      }
    },
    300_000,
  );

  it.concurrent(
    'a carrier answering 486 (sipp): one retry after the back-off, then busy with sip_status_code 486',
    async () => {
      const { user, numbers } = await userWithNumbers(busyH, 1);
      const fax = await faxWithPages(busyH, user, 1);
      const carrier = startSipp({
        scenario: 'uas-busy.xml',
        localPort: busyH.trunkPort,
        vars: { status: '486' },
        calls: 2,
        timeoutSeconds: 60,
      });
      await carrier.ready;
      const res = await busyH.call('POST', `/api/fax/${fax}/send`, {
        sid: user.sid,
        body: { from: numbers[0], to: '+4930123456' },
      });
      expect(res['status']).toBe('ok');
      const report = res['uuid'] as string;
      const done = await eventually(
        async () => {
          const r = await busyH.services.faxes.report(report);
          return r && r.status !== 'dial' && r.status !== 'transmit' ? r : null;
        },
        'the send to end',
        60_000,
      );
      expect(done).toMatchObject({ status: 'busy', sipStatusCode: 486 });
      expect(done.attempts).toHaveLength(2);
      expect(done.attempts.map((a) => a.status)).toEqual(['busy', 'busy']);
      expect(done.attempts.map((a) => a.sipStatusCode)).toEqual([486, 486]);
      const far = await carrier.done;
      expect(far.successful, far.errors).toBe(2);
      const events = await eventually(async () => {
        const e = await reportEvents(busyH, user, fax, report);
        return e.at(-1)?.['status'] === 'busy' ? e : null;
      }, 'the last fax_report event');
      expect(walk(events)).toEqual(['dial', 'busy']);
    },
    120_000,
  );
});
