import type { Kysely } from 'kysely';

/**
 * SIP accounts (spec 3.21), dialplans v2 (spec 4.1) and IVRs (spec 5.1).
 * Dialplans and IVRs keep the JSON text exactly as the user sent it (`text`,
 * not `jsonb`, which would reorder keys) so GET returns it unchanged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The plain SIP password is never stored. GET /api/sip returns it (spec
  // 3.21), so it is kept AES-256-GCM encrypted (password_enc, src/lib/secret-box.ts);
  // besides a scrypt hash for API checks and the digest HA1 values (MD5 and
  // SHA-256, RFC 8760) per realm = domain for the SIP registrar.
  await db.schema
    .createTable('sip_accounts')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'uuid', (c) => c.notNull().references('users.uuid').onDelete('cascade'))
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_enc', 'text', (c) => c.notNull())
    .addColumn('ha1', 'jsonb', (c) => c.notNull())
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sip_accounts_owner').on('sip_accounts').column('owner').execute();

  for (const table of ['dialplans_v2', 'ivrs']) {
    await db.schema
      .createTable(table)
      .addColumn('uuid', 'uuid', (c) => c.primaryKey())
      .addColumn('owner', 'uuid', (c) => c.notNull().references('users.uuid').onDelete('cascade'))
      .addColumn('json', 'text', (c) => c.notNull())
      .addColumn('created_us', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex(`${table}_owner`).on(table).columns(['owner', 'created_us']).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ivrs').execute();
  await db.schema.dropTable('dialplans_v2').execute();
  await db.schema.dropTable('sip_accounts').execute();
}
