/**
 * The embedded database served to another process over a Unix socket
 * (store/pglite-bridge.ts): statements and their types arrive as they left,
 * transactions of a bridged client and of the owner never interleave, a
 * client that dies inside a transaction leaves nothing behind, errors keep
 * their SQLSTATE, and a client that starts before the owner waits for it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgePool, DatabaseBridgeError, serveDatabaseBridge } from '../../src/store/pglite-bridge.js';
import { PGlitePool } from '../../src/store/pglite-pool.js';

interface T {
  items: { id: number; name: string; at: Date; data: Buffer | null; big: string | null };
}

let dir: string;
let socket: string;
let owner: Kysely<T>;
let ownerPool: PGlitePool;
let stop: () => Promise<void>;
const clients: Array<Kysely<T>> = [];

function client(opts: { connectTimeoutMs?: number } = {}): Kysely<T> {
  const db = new Kysely<T>({ dialect: new PostgresDialect({ pool: new BridgePool(socket, opts) }) });
  clients.push(db);
  return db;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-bridge-'));
  socket = path.join(dir, 'db.sock');
  ownerPool = new PGlitePool(await PGlite.create());
  owner = new Kysely<T>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  await sql`CREATE TABLE items (id serial PRIMARY KEY, name text UNIQUE NOT NULL, at timestamptz NOT NULL, data bytea, big int8)`.execute(
    owner,
  );
  stop = await serveDatabaseBridge(ownerPool, socket);
});
afterAll(async () => {
  for (const c of clients) await c.destroy().catch(() => undefined);
  await stop();
  await owner.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('PGlite bridge', () => {
  it('serves statements with their types (dates, bytes) and counts', async () => {
    const db = client();
    const at = new Date('2026-12-04T10:00:00.123Z');
    const ins = await db
      .insertInto('items')
      .values({ name: 'a', at, data: Buffer.from([0, 1, 255]), big: '9007199254740991' } as never)
      .returning(['id'])
      .executeTakeFirstOrThrow();
    expect(ins.id).toBeGreaterThan(0);
    const row = await db.selectFrom('items').selectAll().where('name', '=', 'a').executeTakeFirstOrThrow();
    expect(row.at).toBeInstanceOf(Date);
    expect(row.at.getTime()).toBe(at.getTime());
    expect(row.data as unknown).toBeInstanceOf(Uint8Array);
    expect([...(row.data as Uint8Array)]).toEqual([0, 1, 255]);
    const upd = await db.updateTable('items').set({ name: 'a2' }).where('name', '=', 'a').executeTakeFirst();
    expect(upd.numUpdatedRows).toBe(1n);
    // The owner sees what the bridged client wrote.
    expect((await owner.selectFrom('items').select('name').execute()).map((r) => r.name)).toContain('a2');
  });

  it('keeps the SQLSTATE and details of a database error', async () => {
    const db = client();
    await db
      .insertInto('items')
      .values({ name: 'dup', at: new Date() } as never)
      .execute();
    const err = await db
      .insertInto('items')
      .values({ name: 'dup', at: new Date() } as never)
      .execute()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', constraint: 'items_name_key' });
    // The session goes on after an error.
    expect(await db.selectFrom('items').select('name').where('name', '=', 'dup').execute()).toHaveLength(1);
  });

  it('runs a bridged transaction without the owner interleaving, and rolls back on error', async () => {
    const db = client();
    const order: string[] = [];
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    const tx = db.transaction().execute(async (trx) => {
      await trx
        .insertInto('items')
        .values({ name: 't1', at: new Date() } as never)
        .execute();
      order.push('tx insert');
      inside();
      await new Promise((r) => setTimeout(r, 150));
      order.push('tx commit');
    });
    await entered;
    // The owner's statement waits for the bridged transaction to end.
    const ownerRead = owner
      .selectFrom('items')
      .select('name')
      .where('name', '=', 't1')
      .execute()
      .then((rows) => order.push(`owner read ${rows.length}`));
    await Promise.all([tx, ownerRead]);
    expect(order).toEqual(['tx insert', 'tx commit', 'owner read 1']);

    await expect(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('items')
          .values({ name: 't2', at: new Date() } as never)
          .execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await owner.selectFrom('items').select('name').where('name', '=', 't2').execute()).toEqual([]);
  });

  it('rolls back and frees the database when a client dies inside a transaction', async () => {
    const pool = new BridgePool(socket);
    const conn = await pool.connect();
    await conn.query('BEGIN', []);
    await conn.query("INSERT INTO items (name, at) VALUES ('orphan', now())", []);
    // The process dies: its socket closes without a COMMIT or a release.
    await pool.end();
    const started = Date.now();
    const rows = await owner.selectFrom('items').select('name').where('name', '=', 'orphan').execute();
    expect(rows).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a client started before its owner waits for it; without one it fails clearly', async () => {
    const later = path.join(dir, 'later.sock');
    const db = new Kysely<T>({
      dialect: new PostgresDialect({ pool: new BridgePool(later, { connectTimeoutMs: 10_000 }) }),
    });
    clients.push(db);
    const query = sql<{ n: number }>`SELECT 1 AS n`.execute(db);
    await new Promise((r) => setTimeout(r, 400));
    const stopLater = await serveDatabaseBridge(ownerPool, later);
    expect((await query).rows).toEqual([{ n: 1 }]);
    await stopLater();

    const none = new Kysely<T>({
      dialect: new PostgresDialect({
        pool: new BridgePool(path.join(dir, 'none.sock'), { connectTimeoutMs: 300 }),
      }),
    });
    clients.push(none);
    await expect(sql`SELECT 1`.execute(none)).rejects.toBeInstanceOf(DatabaseBridgeError);
  });

  it('answers a garbage frame by closing that session only', async () => {
    const net = await import('node:net');
    const s = net.connect(socket);
    await new Promise((r) => s.once('connect', r));
    const closed = new Promise((r) => s.once('close', r));
    s.write(Buffer.from([0, 0, 0, 3, 1, 2, 3]));
    await closed;
    expect((await sql<{ n: number }>`SELECT 2 AS n`.execute(client())).rows).toEqual([{ n: 2 }]);
  });
});
