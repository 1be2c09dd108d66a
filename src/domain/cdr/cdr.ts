/**
 * Call detail records (spec 9.1.4 GET /api/partner/cdr/(phone), 9.2.1 event
 * `cdr`). One CDR per call leg; legs of one call form a tree through `parent`
 * (the leg that caused this one) and `root` (the first leg of the group). The
 * root itself has neither.
 */

/** spec 9.1.4: "one of call, conference, fax, blf_pickup, call_through, call_reverse and call_back". */
export const CDR_SERVICES = [
  'call',
  'conference',
  'fax',
  'blf_pickup',
  'call_through',
  'call_reverse',
  'call_back',
] as const;
export type CdrServiceName = (typeof CDR_SERVICES)[number];

/**
 * The wire shape of one CDR (spec 9.1.4 list entries, 9.2.1 event `cdr`).
 * Optional fields are absent, never null. `phone` is the number (or SIP
 * account) the CDR is filed under, as in the event and the spec's second list
 * example; it is on every CDR so list entries and events look the same.
 */
export interface Cdr {
  phone: string;
  id: string;
  /** When the call was initiated, ms since the epoch. */
  date: number;
  service: CdrServiceName;
  /** Incoming legs only: the calling number or SIP account. */
  a_number?: string;
  /** Outgoing legs only: the called number or SIP account. */
  b_number?: string;
  parent?: string;
  root?: string;
  fax_id?: string;
  recording_id?: string;
  conference_id?: string;
  /** Fax legs: pages sent or received. */
  page_count?: number;
  /** Seconds before answer. */
  t_pre: number;
  /** Seconds after answer (0: never answered). */
  t_post: number;
}

/** The optional fields, in wire order. */
export const CDR_OPTIONAL_FIELDS = [
  'a_number',
  'b_number',
  'parent',
  'root',
  'fax_id',
  'recording_id',
  'conference_id',
  'page_count',
] as const;
export type CdrOptionalField = (typeof CDR_OPTIONAL_FIELDS)[number];
/** The fields every CDR has. */
export type CdrCore = Omit<Cdr, CdrOptionalField>;

export class CdrError extends Error {
  override name = 'CdrError';
}

/**
 * t_pre and t_post in whole seconds, the way a billing record is read:
 * - both boundaries (answer, end) are rounded to the nearest second from the
 *   start of the call (half up), so t_pre + t_post is the rounded call length
 *   (not off by one from rounding two parts separately), except:
 * - an answered call has t_post >= 1: a connected call is never recorded as
 *   0 seconds talk time, so t_post > 0 tells answered from unanswered legs.
 * Charging (tick units, rounding up per started interval) is the credit
 * ticker's job (domain/policy/zone-filter.ts), not the CDR's.
 */
export function cdrTimes(
  startMs: number,
  answerMs: number | null,
  endMs: number,
): { t_pre: number; t_post: number } {
  for (const [name, v] of [
    ['start', startMs],
    ['end', endMs],
    ['answer', answerMs ?? startMs],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new CdrError(`${name} must be ms since the epoch`);
  }
  if (endMs < startMs) throw new CdrError('the call cannot end before it starts');
  const total = Math.round((endMs - startMs) / 1000);
  if (answerMs === null) return { t_pre: total, t_post: 0 };
  if (answerMs < startMs || answerMs > endMs) throw new CdrError('answer must lie between start and end');
  const t_pre = Math.round((answerMs - startMs) / 1000);
  return { t_pre, t_post: Math.max(1, total - t_pre) };
}

/** What the call engine reports at the end of a leg (`CdrService.record`). */
export interface CdrFacts {
  phone: string;
  service: CdrServiceName;
  /** When the leg was initiated (the CDR's `date`), answered (null: never) and ended, ms since the epoch. */
  startMs: number;
  answerMs: number | null;
  endMs: number;
  /** Q.850 cause the leg ended with (internal, not on the wire). */
  q850: number;
  a_number?: string;
  b_number?: string;
  parent?: string;
  root?: string;
  fax_id?: string;
  recording_id?: string;
  conference_id?: string;
  page_count?: number;
}

/** A validated CDR plus the internal end cause. */
export interface CdrRecord {
  cdr: Cdr;
  q850: number;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_V1_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function text(name: string, v: string | undefined, max: number): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > max || /[\u0000-\u001f]/.test(v))
    throw new CdrError(`${name} must be a non-empty string of at most ${max} characters`);
  return v;
}

function uuid(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !UUID_RE.test(v)) throw new CdrError(`${name} must be a UUID`);
  return v.toLowerCase();
}

/**
 * Checks what the engine reports and builds the CDR under `id` (a v1 UUID).
 * Rules: a known service; a_number (incoming) and b_number (outgoing) exclude
 * each other; `root` needs a `parent` (the root has neither) and defaults to
 * it; a leg is not its own parent or root; page_count only on fax legs.
 */
export function buildCdr(id: string, f: CdrFacts): CdrRecord {
  if (typeof id !== 'string' || !UUID_V1_RE.test(id)) throw new CdrError('id must be a time-based (v1) UUID');
  const cdrId = id.toLowerCase();
  if (!(CDR_SERVICES as readonly string[]).includes(f.service))
    throw new CdrError(`service must be one of ${CDR_SERVICES.join(', ')}`);
  const phone = text('phone', f.phone, 64);
  if (phone === undefined) throw new CdrError('phone is required');
  if (!Number.isInteger(f.q850) || f.q850 < 0 || f.q850 > 127)
    throw new CdrError('q850 must be a Q.850 cause 0...127');
  const times = cdrTimes(f.startMs, f.answerMs, f.endMs);

  const a_number = text('a_number', f.a_number, 128);
  const b_number = text('b_number', f.b_number, 128);
  if (a_number !== undefined && b_number !== undefined)
    throw new CdrError('a_number (incoming) and b_number (outgoing) exclude each other');
  const parent = uuid('parent', f.parent);
  let root = uuid('root', f.root);
  if (root !== undefined && parent === undefined) throw new CdrError('root needs a parent');
  if (parent !== undefined) root ??= parent;
  if (parent === cdrId || root === cdrId) throw new CdrError('a CDR cannot be its own parent or root');
  if (f.page_count !== undefined) {
    if (!Number.isInteger(f.page_count) || f.page_count < 0 || f.page_count > 1_000_000)
      throw new CdrError('page_count must be an integer >= 0');
    if (f.service !== 'fax') throw new CdrError('page_count is for fax CDRs');
  }

  const optional: Partial<Record<CdrOptionalField, string | number | undefined>> = {
    a_number,
    b_number,
    parent,
    root,
    fax_id: uuid('fax_id', f.fax_id),
    recording_id: uuid('recording_id', f.recording_id),
    conference_id: uuid('conference_id', f.conference_id),
    page_count: f.page_count,
  };
  const cdr: CdrCore = { phone, id: cdrId, date: f.startMs, service: f.service, ...times };
  return { cdr: cdrFromParts(cdr, optional), q850: f.q850 };
}

/**
 * A CDR from its stored columns (nulls are absent fields), in wire order:
 * phone, id, date, service, the optional fields, t_pre, t_post.
 */
export function cdrFromParts(
  base: CdrCore,
  optional: Partial<Record<CdrOptionalField, string | number | null | undefined>>,
): Cdr {
  const out: Record<string, unknown> = {
    phone: base.phone,
    id: base.id,
    date: base.date,
    service: base.service,
  };
  for (const k of CDR_OPTIONAL_FIELDS) {
    const v = optional[k];
    if (v !== undefined && v !== null) out[k] = v;
  }
  out['t_pre'] = base.t_pre;
  out['t_post'] = base.t_post;
  return out as unknown as Cdr;
}
