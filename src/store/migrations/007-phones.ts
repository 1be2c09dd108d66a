import { sql, type Kysely } from 'kysely';

/**
 * Phone numbers (spec 3.9, 9.1.2), the number pools they are taken from, and
 * the per-user dialplan v1 (spec 4.2).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A number belongs to exactly one user; the flags keep the spec's defaults.
  await db.schema
    .createTable('phones')
    .addColumn('number', 'text', (c) => c.primaryKey())
    .addColumn('user_uuid', 'uuid', (c) => c.notNull().references('users.uuid').onDelete('cascade'))
    // Set when a partner assigned the number (spec 9.1.2); GET /api/phone shows `partner`.
    .addColumn('partner_id', 'uuid', (c) => c.references('partners.id').onDelete('set null'))
    .addColumn('dialplan_enable', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('call_enable', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('fax_enable', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('recording_enable', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('conference_enable', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('play_announcement_only', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('notification_email', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('notification_attachment', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('announcement', 'uuid')
    .addColumn('ivr', 'uuid')
    .addColumn('dialplan', 'uuid')
    .addColumn('on_hold_music', 'uuid')
    .addColumn('p_asserted_identity', 'text')
    // Reserved but inactive until the unlock code is entered by DTMF (spec 3.9).
    .addColumn('unlock_code', 'text')
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('phones_user_idx').on('phones').columns(['user_uuid', 'number']).execute();
  await db.schema.createIndex('phones_partner_idx').on('phones').columns(['partner_id', 'number']).execute();

  // Free numbers per area code; a number leaves the pool when a user takes it.
  await db.schema
    .createTable('number_pool')
    .addColumn('number', 'text', (c) => c.primaryKey())
    .addColumn('area_code', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('number_pool_area_idx')
    .on('number_pool')
    .columns(['area_code', 'number'])
    .execute();

  // spec 4.2: one dialplan v1 per user, stored as its JSON document.
  await db.schema
    .createTable('dialplans_v1')
    .addColumn('user_uuid', 'uuid', (c) => c.primaryKey().references('users.uuid').onDelete('cascade'))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('modified_us', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dialplans_v1').execute();
  await db.schema.dropTable('number_pool').execute();
  await db.schema.dropTable('phones').execute();
}
