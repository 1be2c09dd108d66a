import type { Kysely } from 'kysely';

/**
 * Message waiting indication (spec 13.1.2 /api/mwi): the MWI URI a phone
 * number's message-summary NOTIFYs go to (RFC 3842). One per number; it goes
 * with the number when the number is deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('phone_mwi')
    .addColumn('number', 'text', (c) => c.primaryKey().references('phones.number').onDelete('cascade'))
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('modified_us', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('phone_mwi').execute();
}
