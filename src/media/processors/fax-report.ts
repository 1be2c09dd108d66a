import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { t30Error } from '../../domain/fax/t30.js';

/**
 * The fax sender report (spec 3.13 `GET /api/fax/(fax)/report/(report)/x.pdf`):
 * one A4 page with who sent what to whom, when, how many pages, the result
 * with its SIP and T.30/T.38 codes, and a thumbnail of the first page.
 */
export interface SenderReportInfo {
  fax: string;
  report: string;
  description: string | null;
  incoming: boolean;
  from: string;
  to: string;
  /** TSI (spec 3.13 `fax_ident`). */
  faxIdent: string | null;
  /** The header line printed on top of each sent page. */
  faxHeader: string | null;
  /** Seconds since the epoch. */
  timeStart: number;
  timeEnd: number | null;
  pages: number | null;
  status: string;
  sipStatusCode: number | null;
  faxErrorCode: number | null;
  /** What the transmission measured (migration 013); null while unknown. */
  pageCount?: number | null;
  remoteIdent?: string | null;
  bitRate?: number | null;
  ecm?: boolean | null;
  transport?: 'audio' | 't38' | null;
  durationMs?: number | null;
  attempts?: ReadonlyArray<{
    timeStart: number;
    timeEnd: number | null;
    status: string;
    sipStatusCode: number | null;
    faxErrorCode: number | null;
  }>;
}

/** The image data modem a rate implies (T.30 Table 2): V.17 above 9600, V.29 at 7200/9600, V.27ter below. */
function modemOf(bitRate: number): string {
  if (bitRate > 9600) return 'V.17';
  if (bitRate >= 7200) return 'V.29';
  return 'V.27ter';
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function formatPages(info: SenderReportInfo): string {
  if (info.pages === null && (info.pageCount ?? null) === null) return '-';
  const done = info.pages ?? 0;
  return info.pageCount !== null && info.pageCount !== undefined
    ? `${done} of ${info.pageCount}`
    : String(done);
}

function formatFaxError(code: number | null): string {
  if (code === null) return '-';
  const e = t30Error(code);
  return code === 0 ? '0 (OK)' : `${code} (${e.name.replace(/^T30_ERR_/, '')}: ${e.text})`;
}

/** Report statuses of spec 3.13 in words. */
const RESULT: Record<string, string> = {
  dial: 'in progress: dialling the destination',
  transmit: 'in progress: transmitting',
  ok: 'OK: the fax was transmitted successfully',
  fail: 'FAILED: the fax transmission failed',
  cancel: 'CANCELLED by the user',
  busy: 'FAILED: the destination was busy',
  error: 'ERROR: the fax could not be delivered (internal error)',
};

function formatTime(seconds: number | null): string {
  if (seconds === null) return '-';
  return `${new Date(seconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} UTC`;
}

/** The standard fonts only encode WinAnsi; other characters print as '?' instead of failing. */
function printable(font: PDFFont, text: string): string {
  let out = '';
  for (const ch of text) {
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      out += '?';
    }
  }
  return out;
}

interface Writer {
  page: PDFPage;
  font: PDFFont;
  bold: PDFFont;
  y: number;
}

function line(w: Writer, label: string, value: string): void {
  w.page.drawText(label, { x: 56, y: w.y, size: 11, font: w.bold });
  w.page.drawText(printable(w.font, value).slice(0, 90), { x: 200, y: w.y, size: 11, font: w.font });
  w.y -= 18;
}

export async function buildSenderReport(
  info: SenderReportInfo,
  thumbnail: Buffer | null,
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Fax report ${info.report}`);
  doc.setProducer('callplane');
  doc.setCreationDate(new Date(info.timeStart * 1000));
  doc.setModificationDate(new Date(info.timeStart * 1000));
  const page = doc.addPage([595.28, 841.89]);
  const w: Writer = {
    page,
    font: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    y: 780,
  };
  page.drawText(info.incoming ? 'Fax reception report' : 'Fax transmission report', {
    x: 56,
    y: w.y,
    size: 20,
    font: w.bold,
  });
  w.y -= 36;
  line(w, 'Sender', info.from);
  line(w, 'Recipient', info.to);
  line(
    w,
    info.incoming ? 'Sender ID (TSI)' : 'Our ID (TSI)',
    (info.incoming ? info.remoteIdent : info.faxIdent) ?? '-',
  );
  line(
    w,
    info.incoming ? 'Our ID (CSI)' : 'Remote ID (CSI)',
    (info.incoming ? info.faxIdent : info.remoteIdent) ?? '-',
  );
  line(w, 'Header line', info.faxHeader ?? '-');
  line(w, 'Document', info.description ?? '-');
  line(w, 'Start', formatTime(info.timeStart));
  line(w, 'End', formatTime(info.timeEnd));
  line(w, 'Duration', info.durationMs != null ? formatDuration(info.durationMs) : '-');
  line(w, 'Pages', formatPages(info));
  line(
    w,
    'Speed',
    info.bitRate ? `${info.bitRate.toLocaleString('en-US')} bit/s (${modemOf(info.bitRate)})` : '-',
  );
  line(w, 'Error correction', info.ecm == null ? '-' : info.ecm ? 'ECM on' : 'ECM off');
  line(
    w,
    'Line',
    info.transport === 't38' ? 'T.38 (UDPTL)' : info.transport === 'audio' ? 'G.711 audio' : '-',
  );
  line(w, 'Result', RESULT[info.status] ?? info.status);
  line(w, 'SIP status code', info.sipStatusCode === null ? '-' : String(info.sipStatusCode));
  line(w, 'Fax error code', formatFaxError(info.faxErrorCode));
  line(w, 'Report', info.report);
  const attempts = info.attempts ?? [];
  if (attempts.length > 1) {
    attempts.forEach((a, i) => {
      const codes = [
        a.sipStatusCode !== null ? `SIP ${a.sipStatusCode}` : null,
        a.faxErrorCode !== null ? `T.30 ${a.faxErrorCode}` : null,
      ].filter((x) => x !== null);
      line(
        w,
        `Attempt ${i + 1}`,
        `${formatTime(a.timeStart)}  ${a.status}${codes.length ? ` (${codes.join(', ')})` : ''}`,
      );
    });
  }
  if (thumbnail) {
    const img = await doc.embedPng(thumbnail);
    const width = 220;
    const height = (img.height * width) / img.width;
    const top = w.y - 16;
    page.drawText('First page', { x: 56, y: top, size: 11, font: w.bold });
    page.drawRectangle({
      x: 199,
      y: top - height - 1,
      width: width + 2,
      height: height + 2,
      borderColor: rgb(0.4, 0.4, 0.4),
      borderWidth: 1,
    });
    page.drawImage(img, { x: 200, y: top - height, width, height });
  }
  return doc.save();
}
