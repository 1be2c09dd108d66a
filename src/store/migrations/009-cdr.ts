import { sql, type Kysely } from 'kysely';

/**
 * Call detail records (spec 9.1.4, 9.2.1). Billing data outlives accounts:
 * a CDR is filed under its phone and the partner the user belonged to when the
 * call was made, and stays when the user goes (the user row is only marked
 * deleted; a hard delete sets user_id null). partner_id is that historical
 * fact, so it has no foreign key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cdrs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('partner_id', 'uuid')
    .addColumn('user_id', 'uuid', (c) => c.references('users.uuid').onDelete('set null'))
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('date_ms', 'bigint', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('a_number', 'text')
    .addColumn('b_number', 'text')
    .addColumn('parent', 'uuid')
    .addColumn('root', 'uuid')
    .addColumn('t_pre', 'integer', (c) => c.notNull())
    .addColumn('t_post', 'integer', (c) => c.notNull())
    .addColumn('fax_id', 'uuid')
    .addColumn('recording_id', 'uuid')
    .addColumn('conference_id', 'uuid')
    .addColumn('page_count', 'integer')
    // The Q.850 end cause (internal, not on the wire).
    .addColumn('q850', 'smallint', (c) => c.notNull())
    // Set once the partner `cdr` event is queued; a retried record() publishes the rest.
    .addColumn('published', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .execute();
  // GET /api/partner/cdr/(phone): one phone, ordered by (date, id) both ways.
  await sql`CREATE INDEX cdrs_phone_date ON cdrs (phone, date_ms, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cdrs').ifExists().execute();
}
