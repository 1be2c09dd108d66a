/**
 * Fax over the line (spec 3.13, 7.9.2, issue 18), end to end on the wire:
 * `POST /api/fax/(uuid)/send` from one user's number to another user's
 * fax_enable number, through the carrier trunk that points at the engine
 * itself. The sending attempt is an outgoing SIP call of the engine, the
 * receiving side the same engine's inbound call on the fax number: SIP,
 * RTP (G.711 audio fax) or UDPTL after the re-INVITE to image/t38, spandsp
 * on both ends in real time. Failure path: a carrier answering 486 (sipp).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import type { TestUser } from '../helpers/harness.js';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';
import { SIPP_AVAILABLE, startSipp } from '../helpers/sipp.js';
import { createTelephonyHarness, eventually, freePort, type TelephonyHarness } from '../helpers/telephony.js';
import { pagePixels, textPdf } from '../media/fax-fixtures.js';

type Ev = Record<string, any>;

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
    60_000,
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
 * received page aligned at the bottom (the sender's header line adds rows on
 * top) and the header band (64 rows) left out; the ink of the header must be
 * there on the received page.
 */
async function pageDifference(sent: string, received: string, page: number) {
  const a = await pagePixels(sent, page);
  const b = await pagePixels(received, page);
  expect(b.width).toBe(a.width);
  const shift = Math.max(0, b.height - a.height);
  const band = 64;
  let differ = 0;
  let total = 0;
  for (let y = band; y < a.height && y + shift < b.height; y++) {
    for (let x = 0; x < a.width; x++) {
      total++;
      if (a.data[y * a.width + x]! < 128 !== b.data[(y + shift) * b.width + x]! < 128) differ++;
    }
  }
  let headerInk = 0;
  for (let i = 0; i < band * b.width; i++) if (b.data[i]! < 128) headerInk++;
  return { share: differ / total, headerInk };
}

describe.skipIf(!SIPP_AVAILABLE)('fax over the line, trunk looped back to the engine', () => {
  let h: TelephonyHarness;
  let worker: RunningMediaWorker;
  let alice: TestUser;
  let bob: TestUser;
  let from: string;
  let faxNumber: string;
  let dir: string;

  beforeAll(async () => {
    const sip = await freePort();
    h = await createTelephonyHarness({
      SESSION_CREATE_LIMIT: '10000',
      SIP_PORT: String(sip),
      // The carrier trunk is the engine itself: a fax call leaves and comes back as a carrier call.
      SIP_TRUNK: `127.0.0.1:${sip}`,
      FAX_RETRIES: '0',
    });
    worker = startMediaWorker(h.services, { concurrency: 1, onError: () => undefined });
    ({
      user: alice,
      numbers: [from],
    } = (await userWithNumbers(h, 1)) as { user: TestUser; numbers: [string] });
    ({
      user: bob,
      numbers: [faxNumber],
    } = (await userWithNumbers(h, 1)) as { user: TestUser; numbers: [string] });
    await updatePhone(h, bob.sid, faxNumber, {
      fax_enable: true,
      conference_enable: false,
      recording_enable: false,
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fax-line-'));
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await h?.services.media.close();
    await h?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function sendAndReceive(transport: 't38' | 'audio') {
    const fax = await faxWithPages(h, alice, 3);
    const t0 = Date.now();
    const res = await h.call('POST', `/api/fax/${fax}/send`, {
      sid: alice.sid,
      body: { from, to: faxNumber, fax_header: `CALLPLANE ${transport.toUpperCase()}` },
    });
    expect(res['status']).toBe('ok');
    const report = res['uuid'] as string;
    const done = await eventually(
      async () => {
        const r = await h.services.faxes.report(report);
        return r && ['ok', 'fail', 'busy', 'error', 'cancel'].includes(r.status) ? r : null;
      },
      'the send to end',
      120_000,
    );
    const seconds = (Date.now() - t0) / 1000;
    expect(done).toMatchObject({ status: 'ok', pages: 3, pageCount: 3, transport, faxErrorCode: 0 });
    expect(done.bitRate).toBeGreaterThanOrEqual(9600);
    // The sender's events: dial -> transmit (pages 0..3) -> ok.
    // Events go out through the outbox, a moment after the report changed.
    const sent = await eventually(async () => {
      const e = await reportEvents(h, alice, fax, report);
      return e.at(-1)?.['status'] === 'ok' ? e : null;
    }, 'the last fax_report event');
    expect(walk(sent)).toEqual(['dial', 'transmit', 'ok']);
    const pages = sent.filter((r) => r['status'] === 'transmit').map((r) => r['pages_done']);
    expect(pages.at(0)).toBe(0);
    expect(pages.at(-1)).toBe(3);
    expect([...pages].sort()).toEqual(pages);
    expect(sent.at(-1)).toMatchObject({ status: 'ok', sip_status_code: 200, fax_error_code: 0 });

    // Bob's inbox: the new fax, ok with 3 pages, its incoming report ok.
    const rx = await eventually(async () => {
      const evs = (await h.services.eventLog.read(bob.sid, 0)) as Ev[];
      const hit = evs.find(
        (e) =>
          e['event'] === 'fax_report' &&
          Object.values(e['report'] as Record<string, Ev>).some(
            (r) => r['incoming'] && r['status'] === 'ok' && r['time_start'] >= Math.floor(t0 / 1000),
          ),
      );
      return hit ? (hit['fax'] as string) : null;
    }, 'the received fax in bob’s inbox');
    const received = (await h.call('GET', `/api/fax/${rx}`, { sid: bob.sid }))['fax'] as Ev;
    expect(received).toMatchObject({ status: 'ok', page_count: 3, x_res: 204 });
    const incoming = Object.values(received['report'] as Record<string, Ev>);
    expect(incoming).toHaveLength(1);
    expect(incoming[0]).toMatchObject({
      incoming: true,
      from,
      to: faxNumber,
      status: 'ok',
      sip_status_code: 200,
      fax_error_code: 0,
    });
    // Pixels: each received page is the sent page under the printed header line.
    const sentTif = await tiffOf(h, alice, fax, dir, `${transport}-sent.tif`);
    const gotTif = await tiffOf(h, bob, rx, dir, `${transport}-received.tif`);
    const diffs = [];
    for (let p = 0; p < 3; p++) diffs.push(await pageDifference(sentTif, gotTif, p));
    for (const d of diffs) {
      expect(d.share).toBeLessThan(0.005);
      expect(d.headerInk).toBeGreaterThan(100);
    }
    return { seconds, diffs, report: done };
  }

  it('3 pages as T.38 (re-INVITE to image/t38, UDPTL with redundancy): both reports ok, pages match', async () => {
    const r = await sendAndReceive('t38');
    console.info(
      `fax T.38: 3 pages in ${r.seconds.toFixed(1)} s at ${r.report.bitRate} bit/s, ` +
        `pixel difference below the header ${r.diffs.map((d) => (d.share * 100).toFixed(3) + '%').join(', ')}`,
    );
  }, 150_000);

  it('3 pages as G.711 audio fax when the receiving side asks for no T.38: both ok, pages match', async () => {
    h.telephony.engine.ctx.fax!.t38 = false;
    try {
      const r = await sendAndReceive('audio');
      console.info(
        `fax G.711: 3 pages in ${r.seconds.toFixed(1)} s at ${r.report.bitRate} bit/s, ` +
          `pixel difference below the header ${r.diffs.map((d) => (d.share * 100).toFixed(3) + '%').join(', ')}`,
      );
    } finally {
      h.telephony.engine.ctx.fax!.t38 = true;
    }
  }, 150_000);

  it('the sending side refuses the T.38 re-INVITE (488): the fax goes on as G.711 audio and arrives', async () => {
    h.telephony.faxDialer.opts.t38 = false;
    try {
      const r = await sendAndReceive('audio');
      console.info(`fax after a refused T.38 re-INVITE: 3 pages in ${r.seconds.toFixed(1)} s on audio`);
    } finally {
      h.telephony.faxDialer.opts.t38 = true;
    }
  }, 150_000);
});

describe.skipIf(!SIPP_AVAILABLE)('fax to a busy line (sipp carrier answering 486)', () => {
  let h: TelephonyHarness;
  let worker: RunningMediaWorker;

  beforeAll(async () => {
    h = await createTelephonyHarness({
      SESSION_CREATE_LIMIT: '10000',
      FAX_RETRIES: '1',
      FAX_RETRY_DELAYS: '1',
    });
    worker = startMediaWorker(h.services, { concurrency: 1, onError: () => undefined });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await h?.services.media.close();
    await h?.close();
  });

  it('retries once after the back-off, then ends busy with sip_status_code 486', async () => {
    const { user, numbers } = await userWithNumbers(h, 1);
    const fax = await faxWithPages(h, user, 1);
    const carrier = startSipp({
      scenario: 'uas-busy.xml',
      localPort: h.trunkPort,
      vars: { status: '486' },
      calls: 2,
      timeoutSeconds: 30,
    });
    await carrier.ready;
    const res = await h.call('POST', `/api/fax/${fax}/send`, {
      sid: user.sid,
      body: { from: numbers[0], to: '+4930123456' },
    });
    expect(res['status']).toBe('ok');
    const report = res['uuid'] as string;
    const done = await eventually(
      async () => {
        const r = await h.services.faxes.report(report);
        return r && r.status !== 'dial' && r.status !== 'transmit' ? r : null;
      },
      'the send to end',
      20_000,
    );
    expect(done).toMatchObject({ status: 'busy', sipStatusCode: 486 });
    expect(done.attempts).toHaveLength(2);
    expect(done.attempts.map((a) => a.status)).toEqual(['busy', 'busy']);
    expect(done.attempts.map((a) => a.sipStatusCode)).toEqual([486, 486]);
    const far = await carrier.done;
    expect(far.successful, far.errors).toBe(2);
    const events = await eventually(async () => {
      const e = await reportEvents(h, user, fax, report);
      return e.at(-1)?.['status'] === 'busy' ? e : null;
    }, 'the last fax_report event');
    expect(walk(events)).toEqual(['dial', 'busy']);
  }, 40_000);
});
