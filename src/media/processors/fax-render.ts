import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { rotatePdf } from './fax-pdf.js';

/**
 * PDF -> TIFF-F for fax machines (spec 3.13, issue 4), rendered by
 * ghostscript. A fax line is 1728 pixels wide at 204 dpi ("fine" mode:
 * 204x196 dpi, ITU-T T.4); the page box is fixed to that width and A4 height
 * and every PDF page is scaled into it, so A4 and Letter both come out
 * 1728 pixels wide.
 */
export const FAX_WIDTH = 1728;
/** A4 height at 196 dpi (11.69 in). */
export const FAX_HEIGHT = 2292;
export const FAX_X_RES = 204;
export const FAX_Y_RES = 196;

export type FaxCompression = 'g4' | 'g3';

export interface FaxRenderOptions {
  /** The PDF to render. */
  input: string;
  /** The multi-page TIFF to write (the caller renames it into place). */
  output: string;
  /** `landscape`: every page is turned 90 degrees first. */
  orientation?: 'landscape' | undefined;
  /** `photo`: grey levels are dithered (error diffusion) instead of drawn with a coarse 1-bit screen. */
  mode?: 'photo' | undefined;
  compression?: FaxCompression;
  /** Scratch space for the rotated PDF. */
  workDir: string;
  /** Called after each finished page (1-based), with the page total once ghostscript named it. */
  onPage?: (page: number, total: number | undefined) => void | Promise<void>;
  /** Ghostscript is killed after this long (default 10 minutes). */
  timeoutMs?: number;
}

export interface FaxRenderResult {
  pageCount: number;
  width: number;
  xRes: number;
  yRes: number;
}

/** Ghostscript failed on this document: retrying gives the same result. */
export class FaxRenderError extends Error {
  override name = 'FaxRenderError';
}

/**
 * The ghostscript arguments, exported so the benchmark runs exactly the
 * command the worker runs.
 *
 * Text mode uses the fax devices (`tiffg4`/`tiffg32d`): a 1-bit device draws
 * text and line art black or white with no anti-aliasing. Photo mode uses
 * `tiffscaled`, which renders grey at twice the resolution and reduces it to
 * 1 bit with error diffusion (Floyd-Steinberg): photographs keep their tones
 * instead of the coarse ordered screen the fax devices apply. Doing this
 * inside ghostscript keeps the page in one process (no 8-bit intermediate
 * file of ~4 MB per page, no per-pixel loop in JavaScript).
 */
export function ghostscriptArgs(opts: {
  input: string;
  output: string;
  mode?: 'photo' | undefined;
  compression?: FaxCompression | undefined;
}): string[] {
  const common = ['-dSAFER', '-dBATCH', '-dNOPAUSE', '-dFIXEDMEDIA', '-dPDFFitPage'];
  const g = opts.compression === 'g3' ? 'g3' : 'g4';
  if (opts.mode === 'photo') {
    return [
      ...common,
      '-sDEVICE=tiffscaled',
      `-sCompression=${g}`,
      '-dDownScaleFactor=2',
      `-r${FAX_X_RES * 2}x${FAX_Y_RES * 2}`,
      `-g${FAX_WIDTH * 2}x${FAX_HEIGHT * 2}`,
      `-sOutputFile=${opts.output}`,
      opts.input,
    ];
  }
  return [
    ...common,
    g === 'g3' ? '-sDEVICE=tiffg32d' : '-sDEVICE=tiffg4',
    `-r${FAX_X_RES}x${FAX_Y_RES}`,
    `-g${FAX_WIDTH}x${FAX_HEIGHT}`,
    `-sOutputFile=${opts.output}`,
    opts.input,
  ];
}

/** Runs ghostscript, passing on its "Processing pages 1 through N." and "Page N" lines. */
function runGhostscript(
  args: string[],
  onLine: (page: number | undefined, total: number | undefined) => void,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('gs', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const page = /^Page (\d+)\s*$/.exec(line);
        if (page) onLine(Number(page[1]), undefined);
        const total = /^Processing pages \d+ through (\d+)\./.exec(line);
        if (total) onLine(undefined, Number(total[1]));
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      if (signal) return reject(new Error(`ghostscript was killed (${signal})`));
      reject(new FaxRenderError(`ghostscript failed (exit ${code}): ${stderr.trim().slice(0, 500)}`));
    });
  });
}

export async function renderFaxTiff(opts: FaxRenderOptions): Promise<FaxRenderResult> {
  let input = opts.input;
  if (opts.orientation === 'landscape') {
    input = path.join(opts.workDir, 'rotated.pdf');
    try {
      await fs.writeFile(input, await rotatePdf(await fs.readFile(opts.input)));
    } catch (err) {
      throw new FaxRenderError(`the PDF cannot be rotated: ${(err as Error).message}`);
    }
  }
  // gs announces "Page N" when it starts page N, so page N-1 is done then.
  let announced: Promise<void> = Promise.resolve();
  let total: number | undefined;
  const report = (page: number | undefined, pages: number | undefined): void => {
    if (pages !== undefined) total = pages;
    const cb = opts.onPage;
    if (cb && page !== undefined && page > 1) {
      announced = announced.then(() => cb(page - 1, total)).catch(() => undefined);
    }
  };
  await runGhostscript(
    ghostscriptArgs({ input, output: opts.output, mode: opts.mode, compression: opts.compression }),
    report,
    opts.timeoutMs ?? 600_000,
  );
  await announced;
  let meta: Metadata;
  try {
    // The first page's header holds the page count: reading all pages as one
    // image hit sharp's pixel limit at 67 A4 pages (issue 14, item 7).
    meta = await sharp(opts.output).metadata();
  } catch (err) {
    throw new FaxRenderError(`ghostscript wrote no readable TIFF: ${(err as Error).message}`);
  }
  const pageCount = meta.pages ?? 1;
  if (meta.width !== FAX_WIDTH || pageCount < 1) {
    throw new FaxRenderError(`unexpected fax image ${meta.width}x${meta.height}, ${pageCount} pages`);
  }
  await opts.onPage?.(pageCount, pageCount);
  return { pageCount, width: FAX_WIDTH, xRes: FAX_X_RES, yRes: FAX_Y_RES };
}
