/**
 * Counts what the process sends to Redis and to the database, for the call
 * benchmark's "per call" columns (`SIP_BENCH_COUNT=1` prints the breakdown):
 *
 * - Redis commands by name and Redis writes (a command sent on its own, or a
 *   whole pipeline / MULTI: one socket write, one round trip), from ioredis'
 *   `Redis.prototype.sendCommand` and `Pipeline.prototype.exec`;
 * - SQL statements by their text, from PGlite's `query`/`exec` and
 *   node-postgres' `Client.query` (both databases' drivers under Kysely).
 *
 * Install before the services are created; counting is a Map increment.
 */
import { PGlite } from '@electric-sql/pglite';
import { Pipeline, Redis } from 'ioredis';
import pg from 'pg';
import { BridgePool } from '../../src/store/pglite-bridge.js';

type QueryFn = (...a: unknown[]) => unknown;

export interface Counts {
  redisCommands: Map<string, number>;
  redisWrites: number;
  sql: Map<string, number>;
}

const counts: Counts = { redisCommands: new Map(), redisWrites: 0, sql: new Map() };
let installed = false;

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

/** A statement's text without its values, one line, for grouping. */
const shape = (text: unknown): string =>
  String(typeof text === 'object' && text !== null ? (text as { text?: unknown }).text : text)
    .replace(/\s+/g, ' ')
    .replace(/\(\$\d+(, \$\d+)*\)(, \(\$\d+(, \$\d+)*\))*/g, '(...)')
    .replace(/\$\d+(, \$\d+)+/g, '$n, ...')
    .slice(0, 110);

export function installCounters(): void {
  if (installed) return;
  installed = true;
  type SendCommand = (this: Redis, command: { name: string }, stream?: unknown) => unknown;
  const proto = Redis.prototype as unknown as { sendCommand: SendCommand };
  const send = proto.sendCommand;
  proto.sendCommand = function (this: Redis, command: { name: string }, stream?: unknown) {
    bump(counts.redisCommands, command.name);
    if (stream === undefined) counts.redisWrites++;
    return send.call(this, command, stream);
  };
  const pproto = Pipeline.prototype as unknown as { exec: (...a: unknown[]) => unknown };
  const exec = pproto.exec;
  pproto.exec = function (this: unknown, ...a: unknown[]) {
    counts.redisWrites++;
    return exec.apply(this, a);
  };
  const lproto = PGlite.prototype as unknown as Record<'query' | 'exec', (...a: unknown[]) => unknown>;
  for (const m of ['query', 'exec'] as const) {
    const orig = lproto[m];
    lproto[m] = function (this: unknown, ...a: unknown[]) {
      bump(counts.sql, shape(a[0]));
      return orig.apply(this, a);
    };
  }
  // PGlite through the owner's socket (bench database 'pglite-bridge'): counted where it is sent.
  const bproto = BridgePool.prototype as unknown as { connect: () => Promise<{ query: QueryFn }> };
  const connect = bproto.connect;
  bproto.connect = async function (this: unknown) {
    const client = await connect.call(this);
    const query = client.query;
    client.query = function (this: unknown, ...a: unknown[]) {
      bump(counts.sql, shape(a[0]));
      return query.apply(this, a);
    };
    return client;
  };
  const cproto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const q = cproto.query;
  cproto.query = function (this: unknown, ...a: unknown[]) {
    bump(counts.sql, shape(a[0]));
    return q.apply(this, a);
  };
}

/** A copy of the counts so far. */
export function snapshot(): Counts {
  return {
    redisCommands: new Map(counts.redisCommands),
    redisWrites: counts.redisWrites,
    sql: new Map(counts.sql),
  };
}

const sub = (a: Map<string, number>, b: Map<string, number>): Map<string, number> => {
  const out = new Map<string, number>();
  for (const [k, v] of a) if (v - (b.get(k) ?? 0) > 0) out.set(k, v - (b.get(k) ?? 0));
  return out;
};

/** What was counted since `before`. */
export function since(before: Counts): Counts {
  const now = snapshot();
  return {
    redisCommands: sub(now.redisCommands, before.redisCommands),
    redisWrites: now.redisWrites - before.redisWrites,
    sql: sub(now.sql, before.sql),
  };
}

export const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/** The counts divided by `calls`, largest first, as lines. */
export function perCall(c: Counts, calls: number): string[] {
  const n = Math.max(1, calls);
  const lines = [
    `  redis: ${(total(c.redisCommands) / n).toFixed(2)} commands, ${(c.redisWrites / n).toFixed(2)} writes per call`,
  ];
  for (const [k, v] of [...c.redisCommands].sort((a, b) => b[1] - a[1]))
    lines.push(`    ${(v / n).toFixed(2).padStart(7)}  ${k}`);
  lines.push(`  sql: ${(total(c.sql) / n).toFixed(3)} statements per call`);
  for (const [k, v] of [...c.sql].sort((a, b) => b[1] - a[1]))
    lines.push(`    ${(v / n).toFixed(3).padStart(7)}  ${k}`);
  return lines;
}
