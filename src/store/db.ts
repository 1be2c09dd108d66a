import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { migrationProvider } from './migrations/index.js';
import { BridgePool } from './pglite-bridge.js';
import { PGlitePool } from './pglite-pool.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  /** `pglite-bridge`: the embedded database of another process, through its socket. */
  kind: 'pglite' | 'postgres' | 'pglite-bridge';
  /** The embedded database's own pool, which the bridge serves to other processes. */
  pglitePool?: PGlitePool;
  close(): Promise<void>;
}

/** PGlite is one process per data directory; a second opener gets this error. */
export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`the embedded database in ${dir} is in use by process ${pid}`);
  }
}

// int8 (bigint) columns hold microsecond timestamps and sizes, all below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the data directory's lock file, or throw DatabaseBusyError if a live process holds it. */
function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockFile = path.join(dir, 'callplane.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && pidAlive(holder)) {
        throw new DatabaseBusyError(dir, holder);
      }
      fs.rmSync(lockFile, { force: true }); // stale lock of a dead process
    }
  }
  throw new Error(`cannot lock ${dir}`);
}

export interface OpenOptions {
  /** postgres:// URL; unset = embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; 'memory://' for an in-memory database (tests). */
  pgliteDir?: string;
  /** The socket of the process that owns the embedded database (pglite-bridge.ts); it migrated it. */
  bridgeSocket?: string | undefined;
}

export async function openDatabase(opts: OpenOptions): Promise<OpenedDatabase> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection the server ends (restart, admin command) is dropped by the pool;
    // without a listener its error event would take the process down.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await migrate(db);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (opts.bridgeSocket) {
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new BridgePool(opts.bridgeSocket) }),
    });
    // The first statement waits for the owner (it may still be starting) and fails clearly without it.
    await sql`SELECT 1`.execute(db);
    return { db, kind: 'pglite-bridge', close: () => db.destroy() };
  }
  const dir = opts.pgliteDir ?? 'memory://';
  const unlock = dir.startsWith('memory://') ? () => undefined : lockDataDir(dir);
  try {
    const client = await PGlite.create(dir.startsWith('memory://') ? undefined : dir);
    const pglitePool = new PGlitePool(client);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool }) });
    await migrate(db);
    return {
      db,
      kind: 'pglite',
      pglitePool,
      close: async () => {
        await db.destroy();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
}
