import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFaxPdf, looksLikePdf } from '../../src/media/processors/fax-pdf.js';
import { faxPagePng, faxThumbnailPng } from '../../src/media/processors/fax-preview.js';
import {
  FaxRenderError,
  renderFaxTiff,
  type FaxRenderOptions,
} from '../../src/media/processors/fax-render.js';
import { buildSenderReport } from '../../src/media/processors/fax-report.js';
import {
  barPdf,
  encryptedPdf,
  greyPatchesPdf,
  inkBox,
  inkShare,
  meanBlackRun,
  LETTER,
  noPagePdf,
  pagePixels,
  pdfText,
  textPdf,
  tiffInfo,
  zeroAreaPdf,
} from './fax-fixtures.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fax-proc-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function render(pdf: Buffer, opts: Partial<FaxRenderOptions> = {}) {
  n += 1;
  const input = path.join(dir, `in-${n}.pdf`);
  const output = path.join(dir, `out-${n}.tif`);
  fs.writeFileSync(input, pdf);
  const pages: number[] = [];
  const result = await renderFaxTiff({
    input,
    output,
    workDir: dir,
    onPage: (p) => {
      pages.push(p);
    },
    ...opts,
  });
  return { result, output, pages };
}

describe('checkFaxPdf (the synchronous upload check)', () => {
  it('accepts a PDF and counts its pages', async () => {
    expect(await checkFaxPdf(await textPdf(3))).toEqual({ ok: true, pageCount: 3 });
  });

  it('refuses what is not a PDF, an empty body, an encrypted PDF, a PDF without pages, a broken PDF', async () => {
    const text = await textPdf(1);
    expect(await checkFaxPdf(Buffer.from('GIF89a not a pdf at all'))).toMatchObject({ ok: false });
    expect(await checkFaxPdf(Buffer.alloc(0))).toMatchObject({ ok: false });
    expect(await checkFaxPdf(encryptedPdf(text))).toEqual({
      ok: false,
      reason: 'the PDF document is encrypted',
    });
    expect(await checkFaxPdf(await noPagePdf())).toEqual({
      ok: false,
      reason: 'the PDF document has no pages',
    });
    expect(await checkFaxPdf(await zeroAreaPdf())).toEqual({
      ok: false,
      reason: 'page 1 of the PDF document has no area',
    });
    expect(await checkFaxPdf(Buffer.from('%PDF-1.4\nthis is not a document\n'))).toMatchObject({ ok: false });
  });

  it('finds the PDF header after leading junk (within the first KiB) but not later', () => {
    expect(looksLikePdf(Buffer.from('\r\n\r\n%PDF-1.7\n'))).toBe(true);
    expect(looksLikePdf(Buffer.concat([Buffer.alloc(2000, 32), Buffer.from('%PDF-1.7')]))).toBe(false);
  });
});

describe('renderFaxTiff (ghostscript -> TIFF-F)', () => {
  it('renders a multi-page A4 PDF to a 1728-pixel, 204x196 dpi, G4 multi-page TIFF, reporting pages', async () => {
    const { result, output, pages } = await render(await textPdf(3));
    expect(result).toEqual({ pageCount: 3, width: 1728, xRes: 204, yRes: 196 });
    const dirs = tiffInfo(output);
    expect(dirs).toHaveLength(3);
    for (const d of dirs) {
      expect(d).toContain('Image Width: 1728');
      expect(d).toContain('Resolution: 204, 196 pixels/inch');
      expect(d).toContain('Bits/Sample: 1');
      expect(d).toContain('Compression Scheme: CCITT Group 4');
    }
    expect(pages).toEqual([1, 2, 3]);
  });

  it('converts 100 pages: any page count the size limit allows (issue 14, item 7)', async () => {
    const { result, output } = await render(await textPdf(100));
    expect(result.pageCount).toBe(100);
    expect(tiffInfo(output)).toHaveLength(100);
  });

  it('makes Letter pages 1728 pixels wide too, and writes G3 on request', async () => {
    const { result, output } = await render(await textPdf(1, LETTER), { compression: 'g3' });
    expect(result.pageCount).toBe(1);
    const [d] = tiffInfo(output);
    expect(d).toContain('Image Width: 1728');
    expect(d).toContain('Compression Scheme: CCITT Group 3');
  });

  it('turns pages by 90 degrees with orientation=landscape', async () => {
    const portrait = await barPdf('portrait');
    const upright = inkBox(await pagePixels((await render(portrait)).output));
    const turned = inkBox(await pagePixels((await render(portrait, { orientation: 'landscape' })).output));
    // The bar along the top edge stays horizontal, and across the whole fax width...
    expect(upright.width).toBeGreaterThan(1600);
    expect(upright.width).toBeGreaterThan(upright.height * 10);
    // ...and turned it stands upright (the turned page is scaled to fit the fax width).
    expect(turned.height).toBeGreaterThan(turned.width * 10);
    expect(turned.height).toBeGreaterThan(1000);
  });

  it('fits a landscape page turned onto the portrait fax page, with or without orientation=landscape', async () => {
    const landscape = await barPdf('landscape');
    for (const orientation of [undefined, 'landscape'] as const) {
      const box = inkBox(await pagePixels((await render(landscape, { orientation })).output));
      expect(box.height).toBeGreaterThan(2200);
      expect(box.height).toBeGreaterThan(box.width * 10);
    }
  });

  it('dithers grey tones in photo mode (error diffusion) instead of the coarse 1-bit screen', async () => {
    const pdf = await greyPatchesPdf();
    const photo = await render(pdf, { mode: 'photo' });
    expect(photo.result).toMatchObject({ pageCount: 1, width: 1728, xRes: 204, yRes: 196 });
    const [d] = tiffInfo(photo.output);
    expect(d).toContain('Image Width: 1728');
    expect(d).toContain('Resolution: 204, 196 pixels/inch');
    expect(d).toContain('Bits/Sample: 1');
    expect(d).toContain('Compression Scheme: CCITT Group 4');
    const rows = { top: 1050, height: 300, width: 300 };
    const patches = async (tif: string) => {
      const px = await pagePixels(tif);
      return {
        ink: [150, 720, 1300].map((left) => inkShare(px, { left, ...rows })),
        run: meanBlackRun(px, { left: 720, ...rows }),
      };
    };
    // Photo mode: the ink share of 25/50/75 % grey patches matches the grey level, in
    // single scattered pixels (error diffusion)...
    const p = await patches(photo.output);
    p.ink.forEach((share, i) => expect(Math.abs(share - [0.25, 0.5, 0.75][i]!)).toBeLessThan(0.04));
    expect(p.run).toBeLessThan(1.5);
    // ...while text mode draws grey with ghostscript's clustered screen of the fax devices.
    const t = await patches((await render(pdf)).output);
    expect(t.run).toBeGreaterThan(2);
  });

  it('fails with FaxRenderError when ghostscript renders nothing', async () => {
    await expect(render(Buffer.from('%PDF-1.4\nhello world nothing\n'))).rejects.toBeInstanceOf(
      FaxRenderError,
    );
  });
});

describe('previews and the sender report', () => {
  it('draws each page as a PNG and a proportional thumbnail of page 1', async () => {
    const { output } = await render(await textPdf(2));
    const p1 = await faxPagePng(output, 1);
    const p2 = await faxPagePng(output, 2);
    const m = await sharp(p1).metadata();
    expect(m).toMatchObject({ format: 'png', width: 1728, height: 2292 });
    expect(p1.equals(p2)).toBe(false);
    await expect(faxPagePng(output, 3)).rejects.toThrow();
    const thumb = await sharp(await faxThumbnailPng(output, 300)).metadata();
    expect(thumb.width).toBe(300);
    // 1728 px at 204 dpi by 2292 px at 196 dpi is 8.47 x 11.69 inches.
    expect(thumb.height).toBe(Math.round((300 * 11.694) / 8.471));
  });

  it('builds a one-page PDF with the transmission details and the thumbnail', async () => {
    const { output } = await render(await textPdf(1));
    const pdf = await buildSenderReport(
      {
        fax: 'f',
        report: '7b149600-5921-11e0-b85f-0024e8f90cc0',
        description: 'Versicherungsvertrag Hausrat',
        incoming: false,
        from: '+492216689712',
        to: '+4925328372322',
        faxIdent: '+49 221 6689712',
        faxHeader: 'ACME GmbH Koeln',
        timeStart: 1_700_000_000,
        timeEnd: 1_700_000_095,
        pages: 1,
        status: 'ok',
        sipStatusCode: 200,
        faxErrorCode: 0,
      },
      await faxThumbnailPng(output),
    );
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    for (const s of [
      'Fax transmission report',
      '+492216689712',
      '+4925328372322',
      '+49 221 6689712',
      'ACME GmbH Koeln',
      '2023-11-14 22:13:20 UTC',
      '2023-11-14 22:14:55 UTC',
      'OK: the fax was transmitted successfully',
      'SIP status code 200',
      'Fax error code 0',
    ]) {
      expect(text).toContain(s);
    }
    expect(Buffer.from(pdf).includes('/Subtype /Image')).toBe(true);
  });
});
