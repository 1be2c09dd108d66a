import { sql, type Kysely } from 'kysely';

/** Users, partners, tags, objects and their metadata (spec 3.1-3.12, 9.1.1). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('partners')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('phone_control', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('uuid', 'uuid', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('firstname', 'text', (c) => c.notNull())
    .addColumn('lastname', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('birthday', 'text')
    .addColumn('zip_code', 'text')
    .addColumn('town', 'text')
    .addColumn('street', 'text')
    .addColumn('house_number', 'text')
    .addColumn('country', 'text')
    .addColumn('country_code', 'text', (c) => c.notNull().defaultTo('+49'))
    .addColumn('area_code', 'text')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('de'))
    .addColumn('newsletter', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('pin', 'text')
    .addColumn('fax_ident', 'text')
    .addColumn('fax_header', 'text')
    .addColumn('partner_id', 'uuid', (c) => c.references('partners.id'))
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('ignore_ip_whitelisting', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('feature_packs', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('picture', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('pending_email', 'text')
    .addColumn('pending_email_code', 'text')
    .addColumn('system_tags', 'jsonb', (c) => c.notNull())
    .addColumn('usergroup', 'text')
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .execute();
  // Usernames and e-mail addresses are unique regardless of case.
  await sql`CREATE UNIQUE INDEX users_username_lower ON users (lower(username))`.execute(db);
  await sql`CREATE UNIQUE INDEX users_email_lower ON users (lower(email)) WHERE email IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX users_partner_created ON users (partner_id, created_us, uuid)`.execute(db);

  await db.schema
    .createTable('user_metadata')
    .addColumn('user_uuid', 'uuid', (c) => c.notNull().references('users.uuid').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_metadata_pk', ['user_uuid', 'key'])
    .execute();

  await db.schema
    .createTable('tags')
    .addColumn('uuid', 'uuid', (c) => c.primaryKey())
    .addColumn('owner', 'uuid', (c) => c.notNull().references('users.uuid').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('foreign_use', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tags_owner').on('tags').columns(['owner', 'kind']).execute();

  await db.schema
    .createTable('tag_policies')
    .addColumn('tag_uuid', 'uuid', (c) => c.notNull().references('tags.uuid').onDelete('cascade'))
    .addColumn('user_uuid', 'uuid', (c) => c.notNull().references('users.uuid').onDelete('cascade'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('tag_policies_pk', ['tag_uuid', 'user_uuid'])
    .execute();

  await db.schema
    .createTable('objects')
    .addColumn('uuid', 'uuid', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('owner', 'uuid', (c) => c.notNull().references('users.uuid').onDelete('cascade'))
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('objects_owner_created')
    .on('objects')
    .columns(['owner', 'created_us'])
    .execute();

  await db.schema
    .createTable('object_tags')
    .addColumn('object_uuid', 'uuid', (c) => c.notNull().references('objects.uuid').onDelete('cascade'))
    .addColumn('tag_uuid', 'uuid', (c) => c.notNull().references('tags.uuid').onDelete('cascade'))
    .addPrimaryKeyConstraint('object_tags_pk', ['object_uuid', 'tag_uuid'])
    .execute();
  await db.schema
    .createIndex('object_tags_tag')
    .on('object_tags')
    .columns(['tag_uuid', 'object_uuid'])
    .execute();

  await db.schema
    .createTable('object_metadata')
    .addColumn('object_uuid', 'uuid', (c) => c.notNull().references('objects.uuid').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('object_metadata_pk', ['object_uuid', 'key'])
    .execute();

  await db.schema
    .createTable('signup_verifications')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'uuid', (c) => c.references('partners.id').onDelete('cascade'))
    .addColumn('user_uuid', 'uuid', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('info', 'jsonb')
    .addColumn('expires_us', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('password_recoveries')
    .addColumn('user_uuid', 'uuid', (c) => c.primaryKey().references('users.uuid').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('expires_us', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'password_recoveries',
    'signup_verifications',
    'object_metadata',
    'object_tags',
    'objects',
    'tag_policies',
    'tags',
    'user_metadata',
    'users',
    'partners',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
