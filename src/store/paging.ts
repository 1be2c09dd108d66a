import { sql, type SelectQueryBuilder } from 'kysely';
import type { PageQuery } from '../domain/paging.js';

/**
 * Applies a PageQuery to a query over a table with a microsecond creation
 * column and a UUID column: bounds, exclusive cursor, order and limit.
 */
export function applyPage<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  cols: { us: string; uuid: string },
  page: PageQuery,
): SelectQueryBuilder<DB, TB, O> {
  const us = sql.ref(cols.us);
  const id = sql.ref(cols.uuid);
  let q = qb;
  if (page.fromUs !== undefined) q = q.where(sql<boolean>`${us} >= ${page.fromUs}`);
  if (page.toUs !== undefined) q = q.where(sql<boolean>`${us} <= ${page.toUs}`);
  if (page.start) {
    const { us: sUs, uuid } = page.start;
    q =
      page.order === 'asc'
        ? q.where(sql<boolean>`(${us}, ${id}) > (${sUs}, ${uuid}::uuid)`)
        : q.where(sql<boolean>`(${us}, ${id}) < (${sUs}, ${uuid}::uuid)`);
  }
  const dir = page.order === 'asc' ? sql`asc` : sql`desc`;
  return q.orderBy(sql`${us} ${dir}, ${id} ${dir}`).limit(page.count);
}
