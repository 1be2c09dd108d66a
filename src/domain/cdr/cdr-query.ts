import { parsePage, PagingError, type RawPageParams } from '../paging.js';

/**
 * The query of GET /api/partner/cdr/(phone) (spec 9.1.4): `from`/`to` in
 * seconds (from <= to), `start` an exclusive cursor that overrides `from`
 * (asc) or `to` (desc), `order` asc (default) or desc, `count` 1...5000
 * (default 10). CDRs are ordered by `date` (ms) with the id as tie-breaker.
 */
export interface CdrQuery {
  order: 'asc' | 'desc';
  count: number;
  /** Inclusive lower bound on `date`, ms. */
  fromMs?: number;
  /** Inclusive upper bound on `date`, ms (the end of the `to` second). */
  toMs?: number;
  /** Id of the CDR to continue after (exclusive), lower-case. */
  start?: string;
}

export const CDR_DEFAULT_COUNT = 10;
export const CDR_MAX_COUNT = 5000;

/** Validates the list parameters; throws PagingError (-> wrong-syntax) on bad values. */
export function parseCdrQuery(raw: RawPageParams): CdrQuery {
  // The shared parser checks from/to/start/order and applies the cursor
  // override; only the count range (1...5000 here, 1...500 there) differs.
  const page = parsePage({ ...raw, count: undefined }, CDR_DEFAULT_COUNT);
  let count = CDR_DEFAULT_COUNT;
  if (raw.count !== undefined) {
    if (!/^[0-9]{1,5}$/.test(raw.count) || Number(raw.count) < 1 || Number(raw.count) > CDR_MAX_COUNT)
      throw new PagingError(`count must be a number from 1 to ${CDR_MAX_COUNT}`);
    count = Number(raw.count);
  }
  const q: CdrQuery = { order: page.order, count };
  // Microsecond bounds of the shared parser -> ms: from*1000 and to*1000+999.
  if (page.fromUs !== undefined) q.fromMs = Math.floor(page.fromUs / 1000);
  if (page.toUs !== undefined) q.toMs = Math.floor(page.toUs / 1000);
  if (page.start) q.start = page.start.uuid;
  return q;
}
