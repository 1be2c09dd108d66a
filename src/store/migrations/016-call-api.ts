import { sql, type Kysely } from 'kysely';

/**
 * Finished call-API calls (spec 3.24 `GET /api/call?state=hangup`): the
 * call's last view as the API lists it, by owner and creation time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('call_api_calls')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('create_time', 'bigint', (c) => c.notNull())
    .addColumn('view', 'jsonb', (c) => c.notNull())
    .addColumn('stored_us', 'bigint', (c) => c.notNull().defaultTo(sql`0`))
    .execute();
  await db.schema
    .createIndex('call_api_calls_owner_time')
    .on('call_api_calls')
    .columns(['owner', 'create_time', 'uuid'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('call_api_calls').execute();
}
