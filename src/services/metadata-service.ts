import { sql } from 'kysely';
import { ServiceError } from '../errors/index.js';
import {
  checkChanges,
  MetadataError,
  parseSelection,
  selects,
  type MetadataChanges,
  type MetadataSelection,
} from '../domain/metadata.js';
import type { EventOutbox } from '../events/outbox.js';
import type { Db } from '../store/db.js';
import type { ObjectService } from './object-service.js';

/** Whose metadata: the two tables share one layout (owner column, key, jsonb value). */
type Target = { kind: 'user'; uuid: string } | { kind: 'object'; uuid: string };

const TABLES = {
  user: { table: 'user_metadata', owner: 'user_uuid' },
  object: { table: 'object_metadata', owner: 'object_uuid' },
} as const;

/** The `keys` and `domain` query parameters of the GET calls. */
export interface MetadataQuery {
  keys?: string | undefined;
  domain?: string | undefined;
}

/** The body of the POST calls. */
export interface MetadataUpdate {
  update?: Record<string, unknown> | undefined;
  delete?: string[] | undefined;
}

/** The `noevent` and `nostore` flags of the POST calls: present means on. */
export interface MetadataFlags {
  noevent?: boolean;
  nostore?: boolean;
}

function apiError(err: unknown): unknown {
  return err instanceof MetadataError ? new ServiceError(err.status, err.message) : err;
}

/**
 * User metadata (spec 3.5 GET/POST /api/user/metadata) and object metadata
 * (spec 3.12 GET/POST /api/object/(uuid)/metadata): one implementation for
 * both, with the user_metadata / object_metadata events of spec 7.8.
 */
export class MetadataService {
  constructor(
    private readonly db: Db,
    private readonly outbox: EventOutbox,
    private readonly objects: ObjectService,
  ) {}

  async getUser(userId: string, query: MetadataQuery): Promise<Record<string, unknown>> {
    return this.read({ kind: 'user', uuid: userId }, selection(query));
  }

  async setUser(userId: string, body: MetadataUpdate, flags: MetadataFlags = {}): Promise<void> {
    const changes = checked(body);
    const event =
      !flags.noevent && hasChanges(changes)
        ? {
            audience: [userId],
            name: 'user_metadata',
            payload: { update: changes.update, delete: changes.delete },
          }
        : null;
    await this.write({ kind: 'user', uuid: userId }, changes, !flags.nostore, event);
  }

  async getObject(
    userId: string,
    objectUuid: string,
    query: MetadataQuery,
  ): Promise<Record<string, unknown>> {
    const obj = await this.objects.get(userId, objectUuid);
    return this.read({ kind: 'object', uuid: obj.uuid }, selection(query));
  }

  /** Needs write access on the object (spec 3.12 access-denied). */
  async setObject(
    userId: string,
    objectUuid: string,
    body: MetadataUpdate,
    flags: MetadataFlags = {},
  ): Promise<void> {
    const obj = await this.objects.get(userId, objectUuid, { need: 'write' });
    const changes = checked(body);
    const event =
      !flags.noevent && hasChanges(changes)
        ? {
            audience: this.objects.readers(obj),
            name: 'object_metadata',
            payload: { object: obj.uuid, user: userId, update: changes.update, delete: changes.delete },
          }
        : null;
    await this.write({ kind: 'object', uuid: obj.uuid }, changes, !flags.nostore, event);
  }

  /** Account deletion: drops the user's metadata. */
  async deleteAllOfUser(userId: string): Promise<void> {
    await this.db.deleteFrom('user_metadata').where('user_uuid', '=', userId).execute();
  }

  private async read(target: Target, sel: MetadataSelection): Promise<Record<string, unknown>> {
    const { table, owner } = TABLES[target.kind];
    if (sel.keys?.length === 0) return {};
    const keys = sel.keys ? sql`and key in (${sql.join(sel.keys)})` : sql``;
    // Domains are [a-z0-9.] only, so the LIKE pattern needs no escaping.
    const domain = sel.domain !== undefined ? sql`and key like ${`${sel.domain}.%`}` : sql``;
    const { rows } = await sql<{ key: string; value: unknown }>`
      select key, value from ${sql.table(table)}
      where ${sql.ref(owner)} = ${target.uuid} ${keys} ${domain}
      order by key`.execute(this.db);
    const out: Record<string, unknown> = {};
    for (const row of rows) if (selects(sel, row.key)) out[row.key] = row.value;
    return out;
  }

  /**
   * Upserts and deletes in one transaction with their event (events/outbox.ts):
   * a request applies completely or not at all, and never without its event.
   */
  private async write(
    target: Target,
    changes: MetadataChanges,
    store: boolean,
    event: { audience: string[]; name: string; payload: Record<string, unknown> } | null,
  ): Promise<void> {
    const { table, owner } = TABLES[target.kind];
    const entries = store ? Object.entries(changes.update) : [];
    if (!store && event === null) return;
    await this.outbox.run(async (trx, events) => {
      if (event) await events.publish({ users: event.audience }, event.name, event.payload);
      if (entries.length > 0) {
        // `null` is stored as the JSON value null, unlike a delete (spec 3.12 example).
        const values = entries.map(([k, v]) => sql`(${target.uuid}, ${k}, ${JSON.stringify(v)}::jsonb)`);
        await sql`
          insert into ${sql.table(table)} (${sql.ref(owner)}, key, value)
          values ${sql.join(values)}
          on conflict (${sql.ref(owner)}, key) do update set value = excluded.value`.execute(trx);
      }
      if (store && changes.delete.length > 0) {
        await sql`
          delete from ${sql.table(table)}
          where ${sql.ref(owner)} = ${target.uuid} and key in (${sql.join(changes.delete)})`.execute(trx);
      }
    });
  }
}

function selection(query: MetadataQuery): MetadataSelection {
  try {
    return parseSelection(query);
  } catch (err) {
    throw apiError(err);
  }
}

function checked(body: MetadataUpdate): MetadataChanges {
  try {
    return checkChanges(body);
  } catch (err) {
    throw apiError(err);
  }
}

function hasChanges(changes: MetadataChanges): boolean {
  return Object.keys(changes.update).length > 0 || changes.delete.length > 0;
}
