import { sql, type Kysely } from 'kysely';

/**
 * Partner policy (spec 9.1.3, 9.1.5-9.1.7) and calling names (spec 10).
 * Live counters (credit, concurrent calls) are in Redis, not here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // spec 9.1.3: one call filter per user, stored as the partner sent it.
  await db.schema
    .createTable('call_filters')
    .addColumn('user_uuid', 'uuid', (c) => c.primaryKey().references('users.uuid').onDelete('cascade'))
    .addColumn('filter', 'jsonb', (c) => c.notNull())
    .addColumn('modified_us', 'bigint', (c) => c.notNull())
    .execute();

  // spec 9.1.5: control-centre numbers and UUI header; a row holds at least one field.
  await db.schema
    .createTable('emergency_entries')
    .addColumn('user_uuid', 'uuid', (c) => c.primaryKey().references('users.uuid').onDelete('cascade'))
    .addColumn('uui_header', 'text')
    .addColumn('emergency_police', 'text')
    .addColumn('emergency_rescue', 'text')
    .execute();

  // spec 9.1.7: an enterprise holds usergroups; deleting one needs it empty.
  await db.schema
    .createTable('enterprises')
    .addColumn('uuid', 'uuid', (c) => c.primaryKey())
    .addColumn('partner_id', 'uuid', (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('group_prefix_enable', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX enterprises_partner ON enterprises (partner_id, created_us, uuid)`.execute(db);

  // spec 9.1.6: partner-owned groups; a group joins at most one enterprise.
  await db.schema
    .createTable('usergroups')
    .addColumn('uuid', 'uuid', (c) => c.primaryKey())
    .addColumn('partner_id', 'uuid', (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('prefix', 'smallint')
    .addColumn('enterprise_uuid', 'uuid', (c) => c.references('enterprises.uuid'))
    .addColumn('created_us', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX usergroups_partner ON usergroups (partner_id, created_us, uuid)`.execute(db);
  await sql`CREATE INDEX usergroups_enterprise ON usergroups (enterprise_uuid)`.execute(db);

  // The primary key on user_uuid is the "one usergroup per user" rule (spec 9.1.6).
  await db.schema
    .createTable('usergroup_members')
    .addColumn('user_uuid', 'uuid', (c) => c.primaryKey().references('users.uuid').onDelete('cascade'))
    .addColumn('usergroup_uuid', 'uuid', (c) => c.notNull().references('usergroups.uuid').onDelete('cascade'))
    .addColumn('added_us', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX usergroup_members_group ON usergroup_members (usergroup_uuid, added_us, user_uuid)`.execute(
    db,
  );

  // spec 9.1.6 internal extensions: number -> member whose dialplan answers.
  await db.schema
    .createTable('usergroup_extensions')
    .addColumn('usergroup_uuid', 'uuid', (c) => c.notNull().references('usergroups.uuid').onDelete('cascade'))
    .addColumn('extension', 'text', (c) => c.notNull())
    .addColumn('user_uuid', 'uuid', (c) => c.notNull().references('users.uuid').onDelete('cascade'))
    .addPrimaryKeyConstraint('usergroup_extensions_pk', ['usergroup_uuid', 'extension'])
    .execute();

  // spec 9.1.6 concurrent call limit (the live count is a Redis lease counter).
  await db.schema
    .createTable('usergroup_limits')
    .addColumn('usergroup_uuid', 'uuid', (c) =>
      c.primaryKey().references('usergroups.uuid').onDelete('cascade'),
    )
    .addColumn('call_limit', 'integer', (c) => c.notNull())
    .execute();

  // spec 9.1.6 zone filter: the validated entries, in the partner's order.
  await db.schema
    .createTable('zone_filters')
    .addColumn('usergroup_uuid', 'uuid', (c) =>
      c.primaryKey().references('usergroups.uuid').onDelete('cascade'),
    )
    .addColumn('entries', 'jsonb', (c) => c.notNull())
    .execute();

  // spec 10: calling names per user, usergroup and enterprise. Phones sort
  // bytewise (COLLATE "C") so `next` paging is the same on every locale.
  for (const [table, owner, ref] of [
    ['user_cnam', 'user_uuid', 'users.uuid'],
    ['usergroup_cnam', 'usergroup_uuid', 'usergroups.uuid'],
    ['enterprise_cnam', 'enterprise_uuid', 'enterprises.uuid'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn(owner, 'uuid', (c) => c.notNull().references(ref).onDelete('cascade'))
      .addColumn('phone', 'text', (c) => c.notNull().modifyFront(sql`COLLATE "C"`))
      .addColumn('name', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, [owner, 'phone'])
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'enterprise_cnam',
    'usergroup_cnam',
    'user_cnam',
    'zone_filters',
    'usergroup_limits',
    'usergroup_extensions',
    'usergroup_members',
    'usergroups',
    'enterprises',
    'emergency_entries',
    'call_filters',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
