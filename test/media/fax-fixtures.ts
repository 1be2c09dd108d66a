import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import sharp from 'sharp';

/** Small PDFs made on the fly for the fax tests (no binary fixtures to keep in sync). */

export const A4: [number, number] = [595.28, 841.89];
export const LETTER: [number, number] = [612, 792];

/** Text pages with a heading "Page N" and some body text. */
export async function textPdf(pages: number, size: [number, number] = A4): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) {
    const p = doc.addPage(size);
    p.drawText(`Page ${i}`, { x: 50, y: size[1] - 80, size: 36, font });
    for (let k = 0; k < 30; k++) {
      p.drawText(`Line ${k} of page ${i}: the quick brown fox jumps over the lazy dog`, {
        x: 50,
        y: size[1] - 130 - k * 18,
        size: 11,
        font,
      });
    }
  }
  return Buffer.from(await doc.save());
}

/** One page with a black bar along its whole top edge: portrait A4, or landscape (wider than tall). */
export async function barPdf(shape: 'portrait' | 'landscape'): Promise<Buffer> {
  const [w, h] = shape === 'portrait' ? A4 : [A4[1], A4[0]];
  const doc = await PDFDocument.create();
  const p = doc.addPage([w, h]);
  p.drawRectangle({ x: 0, y: h - 40, width: w, height: 40, color: rgb(0, 0, 0) });
  return Buffer.from(await doc.save());
}

/** Flat grey patches of 25 %, 50 % and 75 % ink as one embedded (photo) image filling the page width. */
export async function greyPatchesPdf(pages = 1): Promise<Buffer> {
  const w = 300;
  const h = 100;
  const raw = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) raw[y * w + x] = x < 100 ? 191 : x < 200 ? 128 : 64;
  }
  const png = await sharp(raw, { raw: { width: w, height: h, channels: 1 } })
    .png()
    .toBuffer();
  const doc = await PDFDocument.create();
  const img = await doc.embedPng(png);
  for (let i = 0; i < pages; i++) {
    const p = doc.addPage(A4);
    p.drawImage(img, { x: 0, y: 300, width: A4[0], height: (A4[0] * h) / w });
  }
  return Buffer.from(await doc.save());
}

/** A document that pdf-lib reads but that has no page at all. */
export async function noPagePdf(): Promise<Buffer> {
  return Buffer.from(await (await PDFDocument.create()).save({ addDefaultPage: false }));
}

/** A page without area: pdf-lib reads it, ghostscript cannot draw it. */
export async function zeroAreaPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([0, 0]);
  return Buffer.from(await doc.save());
}

/** `pdf` encrypted with a user password by ghostscript's pdfwrite (RC4 128). */
export function encryptedPdf(pdf: Buffer): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fax-enc-'));
  try {
    const src = path.join(dir, 'in.pdf');
    const out = path.join(dir, 'out.pdf');
    fs.writeFileSync(src, pdf);
    execFileSync('gs', [
      '-q',
      '-dSAFER',
      '-dBATCH',
      '-dNOPAUSE',
      '-sDEVICE=pdfwrite',
      '-sOwnerPassword=owner',
      '-sUserPassword=user',
      '-dEncryptionR=3',
      '-dKeyLength=128',
      `-sOutputFile=${out}`,
      src,
    ]);
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** tiffinfo's report of a TIFF, one entry per page (directory). */
export function tiffInfo(file: string): string[] {
  const out = execFileSync('tiffinfo', [file], { encoding: 'utf8' });
  return out.split(/^=== TIFF directory \d+ ===$/m).filter((s) => s.trim() !== '');
}

/** Text of a PDF as ghostscript's txtwrite device extracts it. */
export function pdfText(pdf: Buffer | Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fax-txt-'));
  try {
    const src = path.join(dir, 'in.pdf');
    fs.writeFileSync(src, pdf);
    return execFileSync(
      'gs',
      ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=txtwrite', '-o', '-', src],
      {
        encoding: 'utf8',
      },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Grey pixels (0 black ... 255 white) of one TIFF page. */
export async function pagePixels(
  tiff: string,
  page = 0,
): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(tiff, { page })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Bounding box of the black pixels of a page. */
export function inkBox(px: { data: Buffer; width: number; height: number }): {
  left: number;
  top: number;
  width: number;
  height: number;
} {
  let left = px.width;
  let top = px.height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < px.height; y++) {
    for (let x = 0; x < px.width; x++) {
      if ((px.data[y * px.width + x] ?? 255) < 128) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** Share of black pixels in a rectangle. */
export function inkShare(
  px: { data: Buffer; width: number },
  r: { left: number; top: number; width: number; height: number },
): number {
  let black = 0;
  for (let y = r.top; y < r.top + r.height; y++) {
    for (let x = r.left; x < r.left + r.width; x++) if ((px.data[y * px.width + x] ?? 255) < 128) black++;
  }
  return black / (r.width * r.height);
}

/** Mean length of horizontal runs of black pixels in a rectangle (1 = scattered single pixels). */
export function meanBlackRun(
  px: { data: Buffer; width: number },
  r: { left: number; top: number; width: number; height: number },
): number {
  let runs = 0;
  let black = 0;
  for (let y = r.top; y < r.top + r.height; y++) {
    let previous = false;
    for (let x = r.left; x < r.left + r.width; x++) {
      const b = (px.data[y * px.width + x] ?? 255) < 128;
      if (b) {
        black++;
        if (!previous) runs++;
      }
      previous = b;
    }
  }
  return runs === 0 ? 0 : black / runs;
}
