import { sql, type Kysely } from 'kysely';

/**
 * What a fax transmission measured (issue 18), beside the spec's report
 * fields of migration 005: the far end's ident (CSI/TSI), the document's
 * page count next to the pages done (`pages`), the data rate, ECM, whether
 * it ran over G.711 audio or T.38, its line time, and each dialling attempt
 * of a send (retries with back-off) as a JSON array.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('fax_reports')
    .addColumn('remote_ident', 'text')
    .addColumn('page_count', 'integer')
    .addColumn('bit_rate', 'integer')
    .addColumn('ecm', 'boolean')
    .addColumn('transport', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('attempts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  // The fax quota (spec 3.5 `used.fax`) sums a user's outgoing pages of the month.
  await sql`CREATE INDEX fax_reports_outgoing ON fax_reports (time_start) WHERE NOT incoming`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX fax_reports_outgoing`.execute(db);
  await db.schema
    .alterTable('fax_reports')
    .dropColumn('remote_ident')
    .dropColumn('page_count')
    .dropColumn('bit_rate')
    .dropColumn('ecm')
    .dropColumn('transport')
    .dropColumn('duration_ms')
    .dropColumn('attempts')
    .execute();
}
