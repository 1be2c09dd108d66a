import sharp from 'sharp';

/**
 * PNG views of a fax TIFF (spec 3.13 `GET /api/fax/(uuid)/page/N/x.png`, and
 * the sender report's thumbnail). Made on demand from the TIFF with sharp
 * (libvips reads CCITT G3/G4 through libtiff), so a conversion costs only the
 * ghostscript run and pages nobody looks at are never drawn.
 */

/** Page `page` (1-based) as a greyscale PNG at the fax's own resolution. */
export async function faxPagePng(tiff: string, page: number): Promise<Buffer> {
  return sharp(tiff, { page: page - 1 })
    .toColourspace('b-w')
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/**
 * A small picture of page 1 for the sender report. The fax's pixels are not
 * square (204x196 dpi) so the height is scaled by 204/196 to keep proportions.
 */
export async function faxThumbnailPng(tiff: string, width = 300): Promise<Buffer> {
  const meta = await sharp(tiff, { page: 0 }).metadata();
  const w = meta.width ?? 1728;
  const h = meta.height ?? 2292;
  const xRes = meta.density ?? 204;
  const height = Math.max(1, Math.round((width * h * (xRes / 196)) / w));
  return sharp(tiff, { page: 0 })
    .toColourspace('b-w')
    .resize({ width, height, fit: 'fill', kernel: 'lanczos3' })
    .png()
    .toBuffer();
}
