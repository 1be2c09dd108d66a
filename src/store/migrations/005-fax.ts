import { sql, type Kysely } from 'kysely';

/**
 * Fax objects (spec 3.13): the send/receive reports of a fax, and where a
 * fax's converted files live. The fax object itself is a row of `objects`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per transmission attempt (spec 3.13 `report`, event fax_report 7.9.2).
  await db.schema
    .createTable('fax_reports')
    .addColumn('uuid', 'uuid', (c) => c.primaryKey())
    .addColumn('fax_uuid', 'uuid', (c) => c.notNull().references('objects.uuid').onDelete('cascade'))
    .addColumn('incoming', 'boolean', (c) => c.notNull())
    .addColumn('from', 'text', (c) => c.notNull())
    .addColumn('to', 'text', (c) => c.notNull())
    .addColumn('time_start', 'bigint', (c) => c.notNull())
    .addColumn('time_end', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sip_status_code', 'integer')
    .addColumn('fax_error_code', 'integer')
    .addColumn('fax_ident', 'text')
    .addColumn('fax_header', 'text')
    .addColumn('pages', 'integer')
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX fax_reports_fax ON fax_reports (fax_uuid, time_start, created_us)`.execute(db);

  // Internal file bookkeeping, kept out of objects.data so listings (spec 3.10)
  // show only the spec's fields: `content` names the folder holding the
  // current x.pdf/x.tif/pages, `upload` the upload a conversion is pending for.
  await db.schema
    .createTable('fax_files')
    .addColumn('fax_uuid', 'uuid', (c) => c.primaryKey().references('objects.uuid').onDelete('cascade'))
    .addColumn('content', 'text')
    .addColumn('upload', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('fax_files').execute();
  await db.schema.dropTable('fax_reports').execute();
}
