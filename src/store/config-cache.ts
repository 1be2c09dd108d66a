/**
 * The configuration a call reads — numbers and their dialplans, SIP
 * accounts, users' outgoing-call policy, calling names, announcements —
 * kept in a per-process cache so no call pays a database round trip
 * (issue: no SQL on the per-call path). Entries live in namespaces; a write
 * to a table drops the namespaces that read it, here at once and on every
 * other node through Redis pub/sub, so the node that made a change never
 * reads it stale and the others follow within a pub/sub hop.
 *
 * Writes are seen by a Kysely plugin (TableWriteWatcher) on every INSERT,
 * UPDATE and DELETE, including raw `sql` statements, so no service has to
 * remember to invalidate. A change made inside a transaction is dropped
 * again shortly after (a read between the write and the commit could have
 * cached the old row). A lost pub/sub message is bounded by the entries'
 * lifetime and by a full drop whenever the subscription (re)connects.
 */
import type { Redis } from 'ioredis';
import {
  DeleteQueryNode,
  IdentifierNode,
  InsertQueryNode,
  RawNode,
  TableNode,
  UpdateQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

export type ConfigNamespace = 'routing' | 'policy' | 'accounts' | 'media';

/** Which namespaces read each table (a table missing here is read by no cached entry). */
const READERS: Readonly<Record<string, readonly ConfigNamespace[]>> = {
  phones: ['routing', 'policy', 'accounts'],
  dialplans_v1: ['routing', 'policy'],
  dialplans_v2: ['routing'],
  ivrs: ['routing'],
  objects: ['routing', 'media'],
  users: ['policy', 'media', 'accounts'],
  sip_accounts: ['accounts'],
  sip_blf: ['accounts'],
  call_filters: ['policy'],
  emergency_entries: ['policy'],
  enterprises: ['policy'],
  usergroups: ['policy'],
  usergroup_members: ['policy', 'accounts'],
  usergroup_extensions: ['policy'],
  usergroup_limits: ['policy'],
  zone_filters: ['policy'],
  user_cnam: ['policy'],
  usergroup_cnam: ['policy'],
  enterprise_cnam: ['policy'],
};

const NAMESPACES: readonly ConfigNamespace[] = ['routing', 'policy', 'accounts', 'media'];
/** A second drop after a write, for a read that cached the old row before the writer's commit. */
const SETTLE_MS = 300;
/** The longest an entry lives without an invalidation (a missed pub/sub message). */
const MAX_AGE_MS = 300_000;

interface Entry {
  value: unknown;
  until: number;
}

export class ConfigCache {
  private readonly spaces = new Map<ConfigNamespace, Map<string, Entry>>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private subscriber: Redis | null = null;
  private settle: { timer: NodeJS.Timeout; namespaces: Set<ConfigNamespace> } | null = null;
  /** Bumped on every drop, so a load that started before it does not store what it read. */
  private readonly generation = new Map<ConfigNamespace, number>();
  stats = { hits: 0, misses: 0, drops: 0 };
  /** Tags this cache's own messages, so the echo of a drop it made is not a second drop. */
  private readonly origin = `${process.pid}.${Math.random().toString(36).slice(2, 10)}`;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly maxEntries = 100_000,
  ) {
    for (const ns of NAMESPACES) {
      this.spaces.set(ns, new Map());
      this.generation.set(ns, 0);
    }
  }

  /** Starts taking other nodes' invalidations (before the first cached read). */
  private listen(): void {
    if (this.subscriber) return;
    const sub = this.redis.duplicate();
    sub.on('error', () => undefined);
    sub.on('message', (_c: string, message: string) => {
      const bar = message.indexOf('|');
      if (bar >= 0 && message.slice(0, bar) === this.origin) return;
      const text = bar >= 0 ? message.slice(bar + 1) : message;
      for (const ns of text.split(','))
        if (this.spaces.has(ns as ConfigNamespace)) this.drop(ns as ConfigNamespace);
    });
    // Whatever was published while the subscription was down is lost: start over.
    sub.on('ready', () => {
      for (const ns of NAMESPACES) this.drop(ns);
    });
    void sub.subscribe(this.channel).catch(() => undefined);
    this.subscriber = sub;
  }

  /** The cached value of `key`, loaded once on a miss (concurrent misses share the load). */
  async get<T>(ns: ConfigNamespace, key: string, load: () => Promise<T>): Promise<T> {
    const space = this.spaces.get(ns)!;
    const hit = space.get(key);
    const now = Date.now();
    if (hit && hit.until > now) {
      this.stats.hits++;
      return hit.value as T;
    }
    this.stats.misses++;
    this.listen();
    const id = `${ns}\n${key}`;
    const pending = this.loading.get(id);
    if (pending) return pending as Promise<T>;
    const gen = this.generation.get(ns)!;
    const p = load().then(
      (value) => {
        this.loading.delete(id);
        if (this.generation.get(ns) === gen) {
          if (space.size >= this.maxEntries) space.clear();
          space.set(key, { value, until: Date.now() + MAX_AGE_MS });
        }
        return value;
      },
      (err: unknown) => {
        this.loading.delete(id);
        throw err;
      },
    );
    this.loading.set(id, p);
    return p;
  }

  private drop(ns: ConfigNamespace): void {
    this.spaces.get(ns)?.clear();
    this.generation.set(ns, (this.generation.get(ns) ?? 0) + 1);
    for (const id of [...this.loading.keys()]) if (id.startsWith(`${ns}\n`)) this.loading.delete(id);
    this.stats.drops++;
  }

  /** Drops the namespaces here and on every node. */
  invalidate(namespaces: Iterable<ConfigNamespace>): void {
    const list = [...new Set(namespaces)];
    if (list.length === 0) return;
    for (const ns of list) this.drop(ns);
    void this.redis.publish(this.channel, `${this.origin}|${list.join(',')}`).catch(() => undefined);
  }

  /** Tables were written: their readers are dropped now and once more after the writer's commit. */
  tablesWritten(tables: Iterable<string>): void {
    const namespaces = new Set<ConfigNamespace>();
    for (const t of tables) for (const ns of READERS[t] ?? []) namespaces.add(ns);
    if (namespaces.size === 0) return;
    this.invalidate(namespaces);
    if (this.settle) {
      for (const ns of namespaces) this.settle.namespaces.add(ns);
      return;
    }
    const settle = {
      namespaces,
      timer: setTimeout(() => {
        this.settle = null;
        this.invalidate(settle.namespaces);
      }, SETTLE_MS),
    };
    settle.timer.unref();
    this.settle = settle;
  }

  /** Resolves once no second drop after a write is pending (tests wait on it). */
  async settled(): Promise<void> {
    while (this.settle) await new Promise((r) => setTimeout(r, SETTLE_MS / 3));
  }

  async close(): Promise<void> {
    if (this.settle) clearTimeout(this.settle.timer);
    this.settle = null;
    this.subscriber?.disconnect();
    this.subscriber = null;
    for (const space of this.spaces.values()) space.clear();
  }
}

/** The tables a write statement changes (none for reads). */
export function writtenTables(node: RootOperationNode): string[] {
  if (InsertQueryNode.is(node)) return node.into ? [node.into.table.identifier.name] : [];
  if (UpdateQueryNode.is(node)) return tablesIn(node.table);
  if (DeleteQueryNode.is(node)) return node.from.froms.flatMap(tablesIn);
  if (RawNode.is(node) && /\b(insert\s+into|update|delete\s+from)\b/i.test(node.sqlFragments.join(' ')))
    return node.parameters.flatMap(tablesIn);
  return [];
}

function tablesIn(node: OperationNode | undefined): string[] {
  if (!node) return [];
  if (TableNode.is(node)) return [node.table.identifier.name];
  if (IdentifierNode.is(node)) return [node.name];
  // `sql.table(x)` inside raw SQL is a raw node around the table.
  if (RawNode.is(node)) return node.parameters.flatMap(tablesIn);
  if ('node' in node) return tablesIn((node as { node: OperationNode }).node);
  return [];
}

/** Tells the cache of every write that goes through the Kysely instance it is plugged into. */
export class TableWriteWatcher implements KyselyPlugin {
  private readonly pending = new WeakMap<QueryId, string[]>();

  constructor(private readonly onWrite: (tables: string[]) => void) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const tables = writtenTables(args.node);
    if (tables.length > 0) this.pending.set(args.queryId, tables);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const tables = this.pending.get(args.queryId);
    if (tables) {
      this.pending.delete(args.queryId);
      this.onWrite(tables);
    }
    return args.result;
  }
}
