import { EncryptedPDFError, PDFDocument, degrees } from 'pdf-lib';

/**
 * The quick PDF check of POST /api/fax/(uuid)/x.pdf (spec 3.13): done before
 * the upload is accepted, so a client learns `malformed-file` at once instead
 * of through a later `fail` status.
 */
export type PdfCheck = { ok: true; pageCount: number } | { ok: false; reason: string };

/** PDF files start with `%PDF-`; readers tolerate junk before it within the first KiB (PDF 1.7 Annex H.3). */
export function looksLikePdf(data: Uint8Array): boolean {
  return Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, 1024)).includes('%PDF-');
}

/** The trailer names an /Encrypt dictionary (PDF 1.7 §7.6); pdf-lib cannot decrypt, nor can a fax. */
function namesEncryption(data: Uint8Array): boolean {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).includes('/Encrypt');
}

export async function checkFaxPdf(data: Uint8Array): Promise<PdfCheck> {
  if (!looksLikePdf(data)) return { ok: false, reason: 'the content is not a PDF document' };
  const encrypted: PdfCheck = { ok: false, reason: 'the PDF document is encrypted' };
  let pageCount: number;
  try {
    const doc = await PDFDocument.load(data, { updateMetadata: false, throwOnInvalidObject: false });
    if (doc.isEncrypted) return encrypted;
    pageCount = doc.getPageCount();
    // A page without area cannot be drawn (ghostscript gives up on the whole document).
    const flat = doc.getPages().findIndex((p) => {
      const { width, height } = p.getSize();
      return !(Math.abs(width) >= 1 && Math.abs(height) >= 1);
    });
    if (flat >= 0) return { ok: false, reason: `page ${flat + 1} of the PDF document has no area` };
  } catch (err) {
    if (err instanceof EncryptedPDFError || namesEncryption(data)) return encrypted;
    return { ok: false, reason: 'the PDF document cannot be parsed' };
  }
  if (pageCount === 0) return { ok: false, reason: 'the PDF document has no pages' };
  return { ok: true, pageCount };
}

/** The fax page in PDF points: 1728 px at 204 dpi by 2292 px at 196 dpi. */
const FAX_PAGE_PT: [number, number] = [(1728 / 204) * 72, (2292 / 196) * 72];

/**
 * orientation=landscape (spec 3.13): every page turned by 90 degrees onto a
 * portrait fax-sized page. Setting the page's /Rotate is not enough:
 * ghostscript's fit-to-page turns any page whose box is wider than the
 * media back upright, so the turned page is drawn into a portrait box
 * that ghostscript then leaves as it is.
 */
export async function rotatePdf(data: Uint8Array): Promise<Uint8Array> {
  const src = await PDFDocument.load(data, { updateMetadata: false });
  const out = await PDFDocument.create();
  const [faxW, faxH] = FAX_PAGE_PT;
  const pages = src.getPages();
  const embedded = await out.embedPages(pages);
  pages.forEach((page, i) => {
    const emb = embedded[i];
    if (!emb) return;
    const angle = (page.getRotation().angle + 90) % 360;
    const quarter = angle % 180 !== 0;
    const [w, h] = quarter ? [emb.height, emb.width] : [emb.width, emb.height];
    const scale = Math.min(faxW / w, faxH / h);
    // Where the scaled page's corner lands after turning by `angle` about the drawing origin.
    const rad = (angle * Math.PI) / 180;
    const corners = [
      [0, 0],
      [emb.width * scale, 0],
      [0, emb.height * scale],
      [emb.width * scale, emb.height * scale],
    ].map(([x = 0, y = 0]) => [x * Math.cos(rad) - y * Math.sin(rad), x * Math.sin(rad) + y * Math.cos(rad)]);
    const minX = Math.min(...corners.map((c) => c[0] ?? 0));
    const minY = Math.min(...corners.map((c) => c[1] ?? 0));
    const target = out.addPage([faxW, faxH]);
    target.drawPage(emb, {
      x: (faxW - w * scale) / 2 - minX,
      y: (faxH - h * scale) / 2 - minY,
      xScale: scale,
      yScale: scale,
      rotate: degrees(angle),
    });
  });
  return out.save({ useObjectStreams: false, addDefaultPage: false });
}
