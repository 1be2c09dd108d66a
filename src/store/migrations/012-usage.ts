import { sql, type Kysely } from 'kysely';

/**
 * Usage and statistics (spec 13.1.3-13.1.4) and the user permissions they
 * need; beside them the address directory and area code override of the
 * address checks (spec 3.5).
 *
 * `usage_totals` holds the counters of one user in one period, for two kinds
 * of period at once: a UTC day (`2024-05-17`, GET /api/statistics/(date)) and
 * a UTC month (`2024-05`, GET /api/usage/(month)). The database keeps them up
 * to date itself, so every writer of CDRs and fax reports counts:
 * - a statement trigger on `cdrs` adds each inserted batch (one upsert per
 *   user and period; a CDR recorded again is not inserted, so not counted);
 * - a row trigger on `fax_reports` counts a fax when its report reaches `ok`
 *   (and later page corrections).
 * A month's answer then reads one row per active user, whatever the number of
 * CDRs behind it (BENCHMARKS.md: bench:usage). Rows are never subtracted:
 * usage is what happened, and stays when a fax or user is deleted.
 *
 * `usage_peaks` holds maxima per period and scope ('' = the system,
 * `p:<partner>`, `u:<user>`), raised by services/usage-service.ts from live
 * counters in Redis.
 */
const COUNTERS = [
  'calls_in',
  'calls_out',
  'seconds_in',
  'seconds_out',
  'cost',
  'faxes_in',
  'faxes_out',
  'pages_in',
  'pages_out',
  'recordings',
] as const;

const addUp = COUNTERS.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ');

export async function up(db: Kysely<unknown>): Promise<void> {
  // Special permissions (spec 13.1: "the user needs to have special permissions"): 'statistics', 'mwi'.
  await db.schema
    .alterTable('users')
    .addColumn('permissions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  // The admin's area code override (set-area); the address's own area code is area_code.
  await db.schema.alterTable('users').addColumn('area_override', 'text').execute();
  // Address directory (spec 3.5 address verification): the towns of a zip code and their area code.
  await db.schema
    .createTable('address_areas')
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('zip_code', 'text', (c) => c.notNull())
    .addColumn('town_key', 'text', (c) => c.notNull())
    .addColumn('town', 'text', (c) => c.notNull())
    .addColumn('area_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('address_areas_pk', ['country', 'zip_code', 'town_key'])
    .execute();
  // The credits a call was billed (zone filter ticks), filled by the call engine.
  await db.schema
    .alterTable('cdrs')
    .addColumn('cost', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  let table = db.schema
    .createTable('usage_totals')
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull());
  for (const c of COUNTERS) table = table.addColumn(c, 'bigint', (col) => col.notNull().defaultTo(0));
  await table.addPrimaryKeyConstraint('usage_totals_pk', ['period', 'partner_id', 'user_id']).execute();

  await db.schema
    .createTable('usage_peaks')
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('registrations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('usage_peaks_pk', ['period', 'scope'])
    .execute();

  // Calls are every leg but fax legs (counted from fax reports): incoming legs carry
  // a_number, outgoing ones b_number (domain/cdr/cdr.ts); seconds are talk time (t_post).
  await sql
    .raw(
      `CREATE FUNCTION usage_cdrs_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_totals AS t (period, partner_id, user_id, calls_in, calls_out, seconds_in, seconds_out, cost, recordings)
  SELECT p.period, coalesce(n.partner_id::text, ''), coalesce(n.user_id::text, ''),
    count(*) FILTER (WHERE n.service <> 'fax' AND n.a_number IS NOT NULL),
    count(*) FILTER (WHERE n.service <> 'fax' AND n.b_number IS NOT NULL),
    coalesce(sum(n.t_post) FILTER (WHERE n.service <> 'fax' AND n.a_number IS NOT NULL), 0),
    coalesce(sum(n.t_post) FILTER (WHERE n.service <> 'fax' AND n.b_number IS NOT NULL), 0),
    coalesce(sum(n.cost), 0),
    count(n.recording_id)
  FROM new_rows n
  CROSS JOIN LATERAL (VALUES
    (to_char(to_timestamp(n.date_ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')),
    (to_char(to_timestamp(n.date_ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM'))) AS p(period)
  GROUP BY 1, 2, 3
  ON CONFLICT (period, partner_id, user_id) DO UPDATE SET ${addUp};
  RETURN NULL;
END $$`,
    )
    .execute(db);
  await sql`CREATE TRIGGER cdrs_usage AFTER INSERT ON cdrs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_cdrs_insert()`.execute(db);

  // A fax counts once, when its report reaches ok, on the day it ended.
  await sql
    .raw(
      `CREATE FUNCTION usage_fax_report() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  fax_owner uuid;
  fax_partner uuid;
  faxes integer := 1;
  pages integer := coalesce(NEW.pages, 0);
  at timestamp;
BEGIN
  IF NEW.status <> 'ok' THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'ok' THEN
    faxes := 0;
    pages := coalesce(NEW.pages, 0) - coalesce(OLD.pages, 0);
    IF pages = 0 THEN RETURN NULL; END IF;
  END IF;
  SELECT o.owner, u.partner_id INTO fax_owner, fax_partner
    FROM objects o LEFT JOIN users u ON u.uuid = o.owner WHERE o.uuid = NEW.fax_uuid;
  at := to_timestamp(coalesce(NEW.time_end, NEW.time_start)) AT TIME ZONE 'UTC';
  INSERT INTO usage_totals AS t (period, partner_id, user_id, faxes_in, faxes_out, pages_in, pages_out)
  SELECT p.period, coalesce(fax_partner::text, ''), coalesce(fax_owner::text, ''),
    CASE WHEN NEW.incoming THEN faxes ELSE 0 END, CASE WHEN NEW.incoming THEN 0 ELSE faxes END,
    CASE WHEN NEW.incoming THEN pages ELSE 0 END, CASE WHEN NEW.incoming THEN 0 ELSE pages END
  FROM (VALUES (to_char(at, 'YYYY-MM-DD')), (to_char(at, 'YYYY-MM'))) AS p(period)
  ON CONFLICT (period, partner_id, user_id) DO UPDATE SET ${addUp};
  RETURN NULL;
END $$`,
    )
    .execute(db);
  await sql`CREATE TRIGGER fax_reports_usage AFTER INSERT OR UPDATE OF status, pages ON fax_reports
    FOR EACH ROW EXECUTE FUNCTION usage_fax_report()`.execute(db);

  // What was recorded before this migration counts too.
  await sql
    .raw(
      `INSERT INTO usage_totals AS t (period, partner_id, user_id, calls_in, calls_out, seconds_in, seconds_out, cost, recordings)
  SELECT p.period, coalesce(n.partner_id::text, ''), coalesce(n.user_id::text, ''),
    count(*) FILTER (WHERE n.service <> 'fax' AND n.a_number IS NOT NULL),
    count(*) FILTER (WHERE n.service <> 'fax' AND n.b_number IS NOT NULL),
    coalesce(sum(n.t_post) FILTER (WHERE n.service <> 'fax' AND n.a_number IS NOT NULL), 0),
    coalesce(sum(n.t_post) FILTER (WHERE n.service <> 'fax' AND n.b_number IS NOT NULL), 0),
    0, count(n.recording_id)
  FROM cdrs n
  CROSS JOIN LATERAL (VALUES
    (to_char(to_timestamp(n.date_ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')),
    (to_char(to_timestamp(n.date_ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM'))) AS p(period)
  GROUP BY 1, 2, 3
  ON CONFLICT (period, partner_id, user_id) DO UPDATE SET ${addUp}`,
    )
    .execute(db);
  await sql
    .raw(
      `INSERT INTO usage_totals AS t (period, partner_id, user_id, faxes_in, faxes_out, pages_in, pages_out)
  SELECT p.period, coalesce(u.partner_id::text, ''), o.owner::text,
    count(*) FILTER (WHERE r.incoming), count(*) FILTER (WHERE NOT r.incoming),
    coalesce(sum(r.pages) FILTER (WHERE r.incoming), 0), coalesce(sum(r.pages) FILTER (WHERE NOT r.incoming), 0)
  FROM fax_reports r JOIN objects o ON o.uuid = r.fax_uuid LEFT JOIN users u ON u.uuid = o.owner
  CROSS JOIN LATERAL (VALUES
    (to_char(to_timestamp(coalesce(r.time_end, r.time_start)) AT TIME ZONE 'UTC', 'YYYY-MM-DD')),
    (to_char(to_timestamp(coalesce(r.time_end, r.time_start)) AT TIME ZONE 'UTC', 'YYYY-MM'))) AS p(period)
  WHERE r.status = 'ok'
  GROUP BY 1, 2, 3
  ON CONFLICT (period, partner_id, user_id) DO UPDATE SET ${addUp}`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS fax_reports_usage ON fax_reports`.execute(db);
  await sql`DROP TRIGGER IF EXISTS cdrs_usage ON cdrs`.execute(db);
  await sql`DROP FUNCTION IF EXISTS usage_fax_report()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS usage_cdrs_insert()`.execute(db);
  await db.schema.dropTable('usage_peaks').ifExists().execute();
  await db.schema.dropTable('usage_totals').ifExists().execute();
  await db.schema.dropTable('address_areas').ifExists().execute();
  await db.schema.alterTable('cdrs').dropColumn('cost').execute();
  await db.schema.alterTable('users').dropColumn('area_override').execute();
  await db.schema.alterTable('users').dropColumn('permissions').execute();
}
