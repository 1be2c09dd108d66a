import { uuidV1Micros } from './uuid-time.js';

/**
 * The list parameters shared by every listing call of the spec
 * (`from`, `to`, `start`, `order`, `count`; e.g. spec 3.10 GET /api/tag/(uuid)/object,
 * 9.1.1 GET /api/partner/user). Times are seconds since the epoch; the order key
 * is the creation time in microseconds with the UUID as tie-breaker.
 */
export interface PageQuery {
  order: 'asc' | 'desc';
  count: number;
  /** Inclusive lower bound, microseconds. */
  fromUs?: number;
  /** Inclusive upper bound, microseconds (end of the `to` second). */
  toUs?: number;
  /** Exclusive cursor: continue after this item. */
  start?: { uuid: string; us: number };
}

export interface RawPageParams {
  from?: string | undefined;
  to?: string | undefined;
  start?: string | undefined;
  order?: string | undefined;
  count?: string | undefined;
}

export class PagingError extends Error {
  override name = 'PagingError';
}

/** Validates and normalises the list parameters; throws PagingError on bad values. */
export function parsePage(raw: RawPageParams, defaultCount: number): PageQuery {
  const order = raw.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new PagingError('order must be asc or desc');
  let count = defaultCount;
  if (raw.count !== undefined) {
    if (!/^[0-9]{1,4}$/.test(raw.count)) throw new PagingError('count must be a number from 1 to 500');
    count = Number(raw.count);
    if (count < 1 || count > 500) throw new PagingError('count must be a number from 1 to 500');
  }
  const seconds = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^[0-9]{1,12}$/.test(v)) throw new PagingError(`${name} must be seconds since the epoch`);
    return Number(v);
  };
  const from = seconds('from', raw.from);
  const to = seconds('to', raw.to);
  if (from !== undefined && to !== undefined && from > to) throw new PagingError('from must not be after to');
  const page: PageQuery = { order, count };
  if (from !== undefined) page.fromUs = from * 1_000_000;
  if (to !== undefined) page.toUs = to * 1_000_000 + 999_999;
  if (raw.start !== undefined) {
    const us = uuidV1Micros(raw.start);
    if (us === null) throw new PagingError('start must be a time-based UUID');
    page.start = { uuid: raw.start.toLowerCase(), us };
    // The cursor overrides `from` (asc) or `to` (desc), spec 3.10.
    if (order === 'asc') delete page.fromUs;
    else delete page.toUs;
  }
  return page;
}
