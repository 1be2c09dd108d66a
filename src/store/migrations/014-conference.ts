import { sql, type Kysely } from 'kysely';

/**
 * Conferences (spec 3.17) are objects (type `conference`, fields in `data`:
 * pin, active, mute_default). Spec 3.17 `duplicate-pin`: a PIN is assigned
 * to at most one conference of a user, trashed ones included (they can be
 * restored). A partial unique index holds that against concurrent requests
 * and serves the dial-in lookup by owner and PIN.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE UNIQUE INDEX objects_conference_pin ON objects (owner, (data->>'pin')) WHERE type = 'conference'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS objects_conference_pin`.execute(db);
}
