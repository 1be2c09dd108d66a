import type { Kysely } from 'kysely';

/**
 * The transactional outbox of events (issue 14): a service writes the event
 * of a database change in the same transaction as the change; the rows are
 * published to the session streams after the commit and deleted, and a
 * relay publishes what a crash left behind (events/outbox.ts). `token`
 * makes a publication happen once when two relays race.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('event_outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('audience', 'jsonb', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('event_outbox').execute();
}
