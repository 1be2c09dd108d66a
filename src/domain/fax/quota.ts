/**
 * The fax quota (spec 3.5 `quota.fax` / `used.fax`: fax pages per month):
 * a calendar month in UTC, counted in pages sent; a send that would pass the
 * quota is refused with `quota-exceeded` (spec 3.13 send).
 */

/** Start (seconds since the epoch) of the UTC calendar month holding `nowMs`. */
export function quotaMonthStart(nowMs: number): number {
  const d = new Date(nowMs);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000);
}

/** Whether `pages` more pages fit into the month's quota with `used` already counted. */
export function faxQuotaAllows(quota: number, used: number, pages: number): boolean {
  return pages >= 0 && used + pages <= quota;
}
