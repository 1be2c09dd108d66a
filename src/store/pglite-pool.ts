import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * A one-connection "pool" over PGlite for Kysely's PostgresDialect. PGlite is a
 * single backend, so connections are handed out one at a time: a transaction
 * holds the connection until it commits and nothing interleaves with it.
 */
export class PGlitePool implements PostgresPool {
  readonly options = {};
  private queue: Array<() => void> = [];
  private busy = false;

  constructor(private readonly pg: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    if (this.busy) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.busy = true;
    let released = false;
    const client: PostgresPoolClient = {
      query: (async (sql: string, params: readonly unknown[]) => {
        const res = await this.pg.query(sql, params as unknown[]);
        const out = {
          command: (res as { command?: string }).command ?? 'SELECT',
          rowCount: (res as { rowCount?: number }).rowCount ?? res.affectedRows ?? res.rows.length,
          rows: res.rows,
        };
        return out as PostgresQueryResult<unknown>;
      }) as PostgresPoolClient['query'],
      release: () => {
        if (released) return;
        released = true;
        const next = this.queue.shift();
        if (next) next();
        else this.busy = false;
      },
    };
    return client;
  }

  async end(): Promise<void> {
    await this.pg.close();
  }
}
