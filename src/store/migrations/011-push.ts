import { sql, type Kysely } from 'kysely';

/**
 * Push registrations (spec 8.1 POST /api/push): the GCM/FCM registration ids
 * and APNs device tokens of a user's devices. A token names one app on one
 * device, so it belongs to one user: adding it for another user moves it (the
 * device's last sign-in wins, and the user signed out there stops getting its
 * pushes). A deleted user takes their registrations along.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('push_devices')
    .addColumn('system', 'text', (c) => c.notNull())
    // registration_id (gcm) or device_token (apns, lower-case hex).
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.uuid').onDelete('cascade'))
    .addColumn('application_id', 'text')
    .addColumn('sandbox', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('apns_topic', 'text')
    // When the token was (last) added: APNs' 410 carries the time the token stopped
    // being valid, and a token registered again after that must stay.
    .addColumn('registered_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_devices_pk', ['system', 'token'])
    .execute();
  await sql`CREATE INDEX push_devices_user ON push_devices (user_id, system, registered_ms)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('push_devices').execute();
}
