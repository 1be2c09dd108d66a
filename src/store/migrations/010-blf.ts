import type { Kysely } from 'kysely';

/**
 * Busy lamp field subscriptions (spec 3.21 `/api/sip/(sip-user)/blf`): which
 * phone numbers a SIP account watches. Both sides cascade: a deleted SIP
 * account or a released number takes its subscriptions with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sip_blf')
    .addColumn('sip_name', 'text', (c) => c.notNull().references('sip_accounts.name').onDelete('cascade'))
    .addColumn('number', 'text', (c) => c.notNull().references('phones.number').onDelete('cascade'))
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sip_blf_pk', ['sip_name', 'number'])
    .execute();
  // watchersOf(number): the dialog-info NOTIFYs of a number's calls.
  await db.schema.createIndex('sip_blf_number').on('sip_blf').columns(['number', 'sip_name']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sip_blf').execute();
}
