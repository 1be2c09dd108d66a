import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

/**
 * A received fax's TIFF-F as PDF (spec 3.13 `GET /api/fax/(uuid)/x.pdf`):
 * libtiff's tiff2pdf wraps the CCITT G3/G4 strips as they are (no
 * re-encoding, every page at its own resolution, so the 204x196 dpi pixels
 * print at the right size).
 */
export async function faxTiffToPdf(tiff: string, pdf: string): Promise<void> {
  await run('tiff2pdf', ['-o', pdf, tiff], { timeout: 120_000 });
}

export interface FaxTiffInfo {
  pageCount: number;
  width: number;
}

/** Pages and width of a fax TIFF; null when it cannot be read. */
export async function faxTiffInfo(tiff: string): Promise<FaxTiffInfo | null> {
  try {
    const meta = await sharp(tiff, { pages: -1 }).metadata();
    return { pageCount: meta.pages ?? 1, width: meta.width ?? 0 };
  } catch {
    return null;
  }
}
