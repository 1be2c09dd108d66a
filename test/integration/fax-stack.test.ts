import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T30_ERR } from '../../src/domain/fax/t30.js';
import { renderFaxTiff } from '../../src/media/processors/fax-render.js';
import { FaxSession, type FaxProgress } from '../../src/telephony/embedded/fax/fax-session.js';
import { answerT38, LOCAL_T38, t38Session } from '../../src/telephony/embedded/sip/sdp-t38.js';
import { encodeUdptl } from '../../src/telephony/embedded/t38/udptl.js';
import { audioLoopback, prng, t38Loopback } from '../helpers/fax-loopback.js';
import { pagePixels, textPdf } from '../media/fax-fixtures.js';

/**
 * The fax stack below the call: two spandsp terminals of the project's addon
 * back to back, run faster than real time (each step is 20 ms of line time).
 * A 3-page TIFF-F made by the upload converter goes from one to the other
 * over G.711 audio (V.17 modems through a real µ-law/A-law codec) and over
 * T.38 (IFP packets in UDPTL datagrams, also over a lossy channel).
 */

let dir: string;
let tiff: string;
let n = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fax-stack-'));
  fs.writeFileSync(path.join(dir, 'doc.pdf'), await textPdf(3));
  tiff = path.join(dir, 'doc.tif');
  await renderFaxTiff({ input: path.join(dir, 'doc.pdf'), output: tiff, workDir: dir });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function pair(opts: { header?: string; ecm?: boolean; t38?: boolean } = {}) {
  n++;
  const output = path.join(dir, `rx-${n}.tif`);
  const session = opts.t38 ? t38Session(LOCAL_T38, LOCAL_T38, answerT38(LOCAL_T38)) : undefined;
  const sender = new FaxSession(
    { direction: 'send', ident: '+492216698123', headerInfo: opts.header, ecm: opts.ecm ?? true, tiff },
    session,
  );
  const receiver = new FaxSession(
    { direction: 'receive', ident: '+492216698711', ecm: opts.ecm ?? true, output },
    session,
  );
  return { sender, receiver, output };
}

/**
 * Every received page equals the sent one pixel for pixel, below the header
 * rows the sender printed on top (none without a header line).
 */
async function expectSamePages(
  sent: string,
  received: string,
  pages: number,
  headerRows: number,
): Promise<void> {
  for (let p = 0; p < pages; p++) {
    const a = await pagePixels(sent, p);
    const b = await pagePixels(received, p);
    expect(b.width).toBe(a.width);
    expect(b.height).toBe(a.height + headerRows);
    const body = b.data.subarray(headerRows * b.width);
    let differing = 0;
    for (let i = 0; i < a.data.length; i++) if (a.data[i]! < 128 !== body[i]! < 128) differing++;
    expect(differing, `page ${p + 1}: pixels differing`).toBe(0);
    if (headerRows > 0) {
      let ink = 0;
      for (let i = 0; i < headerRows * b.width; i++) if (b.data[i]! < 128) ink++;
      expect(ink, `page ${p + 1}: header line printed`).toBeGreaterThan(200);
    }
  }
}

describe('fax over G.711 audio (V.17, ECM)', () => {
  it('sends 3 pages through a µ-law line; the receiver gets them pixel for pixel with the header line', async () => {
    const { sender, receiver, output } = pair({ header: 'callplane test fax' });
    const progress: FaxProgress[] = [];
    sender.on('page', (p) => progress.push(p));
    let remoteCsi = '';
    sender.on('phase-b', (b) => (remoteCsi = b.remoteIdent));
    const run = audioLoopback(sender, receiver, 'PCMU');
    expect(run.sender).toMatchObject({
      status: 'ok',
      faxErrorCode: 0,
      transport: 'audio',
      pagesDone: 3,
      pageCount: 3,
      remoteIdent: '+492216698711',
      bitRate: 14400,
      ecm: true,
    });
    expect(run.receiver).toMatchObject({
      status: 'ok',
      pagesDone: 3,
      pageCount: 3,
      remoteIdent: '+492216698123',
    });
    expect(remoteCsi).toBe('+492216698711');
    expect(progress.map((p) => [p.pagesDone, p.pageCount])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    // a text page in T.6 is some 26 kB at 204x196 dpi
    for (const p of progress) expect(p.pageBytes).toBeGreaterThan(10_000);
    // line time: three pages at 14,400 bit/s plus T.30 set-up, a bit over a minute
    expect(run.sender!.durationMs).toBeGreaterThan(30_000);
    expect(run.sender!.durationMs).toBeLessThan(120_000);
    const headerRows = (await pagePixels(output, 0)).height - (await pagePixels(tiff, 0)).height;
    expect(headerRows).toBeGreaterThan(0);
    await expectSamePages(tiff, output, 3, headerRows);
    sender.close();
    receiver.close();
  });

  it('sends through an A-law line without ECM and without a header: the pages arrive unchanged', async () => {
    const { sender, receiver, output } = pair({ ecm: false });
    const run = audioLoopback(sender, receiver, 'PCMA');
    expect(run.sender).toMatchObject({ status: 'ok', pagesDone: 3, ecm: false });
    expect(run.receiver).toMatchObject({ status: 'ok', pagesDone: 3 });
    await expectSamePages(tiff, output, 3, 0);
    sender.close();
    receiver.close();
  });

  it('a hang-up in the middle of page 2 ends both sides with fail and the T.30 code', () => {
    const { sender, receiver } = pair();
    let hangupAt = 0;
    sender.on('page', (p) => {
      // page 1 is through; half a page later (~8 s of V.17) the line drops
      if (p.pagesDone === 1) hangupAt = run.lineMs + 8000;
    });
    const run = { lineMs: 0 };
    const result = audioLoopback(sender, receiver, 'PCMU', {
      onStep: (ms) => {
        run.lineMs = ms;
        if (hangupAt > 0 && ms === hangupAt) {
          sender.hangup();
          receiver.hangup();
        }
      },
    });
    expect(hangupAt).toBeGreaterThan(0);
    expect(result.sender).toMatchObject({ status: 'fail', pagesDone: 1, pageCount: 3 });
    expect(result.sender!.faxErrorCode).toBe(T30_ERR.CALLDROPPED);
    expect(result.sender!.errorName).toBe('T30_ERR_CALLDROPPED');
    expect(result.receiver).toMatchObject({ status: 'fail', pagesDone: 1 });
    expect(result.receiver!.faxErrorCode).not.toBe(0);
    sender.close();
    receiver.close();
  });
});

describe('fax over T.38 (UDPTL with redundancy)', () => {
  it('sends 3 pages as IFP packets in UDPTL datagrams; pages arrive pixel for pixel', async () => {
    const { sender, receiver, output } = pair({ t38: true, header: 'T.38 header' });
    const run = t38Loopback(sender, receiver);
    expect(run.sender).toMatchObject({
      status: 'ok',
      transport: 't38',
      pagesDone: 3,
      pageCount: 3,
      ecm: true,
    });
    expect(run.receiver).toMatchObject({ status: 'ok', transport: 't38', pagesDone: 3 });
    expect(run.sent).toBeGreaterThan(100);
    const headerRows = (await pagePixels(output, 0)).height - (await pagePixels(tiff, 0)).height;
    await expectSamePages(tiff, output, 3, headerRows);
    sender.close();
    receiver.close();
  });

  it('2 % datagram loss: redundancy recovers the losses and the fax still arrives intact', async () => {
    const { sender, receiver, output } = pair({ t38: true });
    const run = t38Loopback(sender, receiver, { loss: 0.02, seed: 7 });
    expect(run.dropped).toBeGreaterThan(0);
    expect(run.dropped / run.sent).toBeGreaterThan(0.01);
    expect(run.sender).toMatchObject({ status: 'ok', pagesDone: 3 });
    expect(run.receiver).toMatchObject({ status: 'ok', pagesDone: 3 });
    const recovered = (sender.udptlStats?.recovered ?? 0) + (receiver.udptlStats?.recovered ?? 0);
    expect(recovered).toBeGreaterThan(0);
    await expectSamePages(tiff, output, 3, 0);
    sender.close();
    receiver.close();
  });

  it('a session that starts on audio switches to T.38 (re-INVITE accepted) and completes there', () => {
    const { sender, receiver } = pair();
    const session = t38Session(LOCAL_T38, LOCAL_T38, answerT38(LOCAL_T38));
    // two seconds of CNG/CED on the audio line, then both ends move to image/t38
    audioLoopback(sender, receiver, 'PCMU', { maxSeconds: 2 });
    expect(sender.switchToT38(session)).toBe(true);
    expect(receiver.switchToT38(session)).toBe(true);
    const run = t38Loopback(sender, receiver);
    expect(run.sender).toMatchObject({ status: 'ok', transport: 't38', pagesDone: 3 });
    sender.close();
    receiver.close();
  });
});

describe('bad input never crashes the stack', () => {
  it('a TIFF that is not a fax ends the send with a T.30 file error', () => {
    const junk = path.join(dir, 'junk.tif');
    fs.writeFileSync(junk, Buffer.from('II*\0 this is not a TIFF at all'));
    n++;
    const sender = new FaxSession({ direction: 'send', ident: '+49', tiff: junk });
    const receiver = new FaxSession({
      direction: 'receive',
      ident: '+48',
      output: path.join(dir, `rx-${n}.tif`),
    });
    const run = audioLoopback(sender, receiver, 'PCMU', { maxSeconds: 120 });
    expect(run.sender?.status).toBe('fail');
    expect(run.sender!.faxErrorCode).toBeGreaterThanOrEqual(T30_ERR.FILEERROR);
    expect(run.sender!.faxErrorCode).toBeLessThanOrEqual(T30_ERR.NOMEM);
    sender.close();
    receiver.close();
  });

  it('malformed datagrams are dropped before the fax stack, the session goes on', () => {
    const { sender, receiver } = pair({ t38: true });
    const random = prng(42);
    for (let i = 0; i < 2000; i++) {
      receiver.datagramIn(
        Buffer.from(Array.from({ length: 1 + (i % 40) }, () => Math.floor(random() * 256))),
      );
    }
    expect(receiver.udptlStats!.malformed).toBeGreaterThan(1500);
    const run = t38Loopback(sender, receiver);
    expect(run.sender).toMatchObject({ status: 'ok', pagesDone: 3 });
    sender.close();
    receiver.close();
  });

  it('garbage IFP packets in well-formed datagrams reach spandsp without crashing it', () => {
    const random = prng(7);
    for (let round = 0; round < 20; round++) {
      const { sender, receiver } = pair({ t38: true });
      for (let i = 0; i < 500; i++) {
        const junk = Buffer.from(Array.from({ length: 1 + (i % 60) }, () => Math.floor(random() * 256)));
        receiver.datagramIn(
          encodeUdptl({ seq: i, primary: junk, errorRecovery: { kind: 'redundancy', secondary: [junk] } }),
        );
        receiver.tick();
      }
      // Garbage that decodes as T.30 frames may end the session; it ends with a verdict, not a crash.
      const run = t38Loopback(sender, receiver, { maxSeconds: 200 });
      expect(run.sender?.status).toMatch(/^(ok|fail)$/);
      sender.close();
      receiver.close();
    }
    // and the stack in this process still sends a clean fax
    const { sender, receiver } = pair({ t38: true });
    expect(t38Loopback(sender, receiver).sender).toMatchObject({ status: 'ok', pagesDone: 3 });
    sender.close();
    receiver.close();
  });
});
