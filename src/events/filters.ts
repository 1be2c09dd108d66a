import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { evaluateFilter, parseFilter, type Filter, type RegexCompiler } from '../domain/event-filter.js';
import { userPatterns } from '../lib/patterns.js';
import { SizedLru } from '../lib/sized-lru.js';

/**
 * Users' regular expressions run on RE2 (re2js, linear-time matching) after
 * the cost check of lib/patterns.ts, from its cache: a pattern like `(a+)+$`
 * cannot stall the server, nor can one that would compile to a huge program.
 * Checks each pattern on its own (no summed budget): for callers that have
 * validated the whole object when it was stored (dialplans).
 */
export const re2Compiler: RegexCompiler = (pattern) => {
  const re = userPatterns.compile(pattern);
  return (text) => re.test(text);
};

/**
 * Session filters live in Redis (ev:filter:<sid>, JSON) so every node applies
 * the same filter; compiled forms are cached per process by content hash, in
 * a cache bounded by the bytes their patterns take (issue 14: a count bound
 * let a few heavy filters exhaust the heap).
 */
export class FilterStore {
  private readonly compiled: SizedLru<string, Filter>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly idleSeconds: number,
    cacheBytes = 64 * 1024 * 1024,
  ) {
    this.compiled = new SizedLru(cacheBytes);
  }

  private key(sid: string): string {
    return `${this.prefix}ev:filter:${sid}`;
  }

  /** Checks the filter (throws FilterSyntaxError) and attaches it to the session. */
  async attach(sid: string, filter: unknown): Promise<void> {
    const json = JSON.stringify(filter);
    await this.compile(json, filter);
    await this.redis.set(this.key(sid), json, 'EX', this.idleSeconds);
  }

  async detach(sid: string): Promise<void> {
    await this.redis.del(this.key(sid));
  }

  /** The parsed filter of a stored version, compiled once (lib/patterns.ts prepare: yields between patterns). */
  private async compile(json: string, parsed?: unknown): Promise<Filter> {
    const hash = createHash('sha1').update(json).digest('base64');
    const hit = this.compiled.get(hash);
    if (hit) return hit;
    const input = parsed ?? (JSON.parse(json) as unknown);
    const { value, weight } = await userPatterns.prepare((compile) =>
      parseFilter(input, (p) => {
        const re = compile(p);
        return (text) => re.test(text);
      }),
    );
    this.compiled.set(hash, value, weight + json.length * 2);
    return value;
  }

  /**
   * Applies each session's filter to an event. Returns, per session, the event
   * to queue (possibly with `filter_error`), or null when it is filtered out.
   */
  async admit(
    sids: readonly string[],
    event: Record<string, unknown>,
  ): Promise<Array<Record<string, unknown> | null>> {
    if (sids.length === 0) return [];
    const filters = await this.redis.mget(sids.map((s) => this.key(s)));
    return Promise.all(filters.map((json) => this.apply(json, event)));
  }

  /**
   * admit() for many (session, event) pairs at once: one read of the
   * sessions' filters for all of them.
   */
  async admitEach(
    items: ReadonlyArray<{ sid: string; event: Record<string, unknown> }>,
  ): Promise<Array<Record<string, unknown> | null>> {
    if (items.length === 0) return [];
    const sids = [...new Set(items.map((i) => i.sid))];
    const filters = await this.redis.mget(sids.map((s) => this.key(s)));
    const bySid = new Map(sids.map((s, i) => [s, filters[i] ?? null]));
    return Promise.all(items.map(({ sid, event }) => this.apply(bySid.get(sid) ?? null, event)));
  }

  /** The prefix of the sessions' filter keys (ev:filter:<sid>), for scripts that read them. */
  get keyPrefix(): string {
    return this.key('');
  }

  /** Applies filters already read (their stored JSON) to an event, as admit() does. */
  async judge(
    filters: readonly string[],
    event: Record<string, unknown>,
  ): Promise<Array<Record<string, unknown> | null>> {
    return Promise.all(filters.map((json) => this.apply(json, event)));
  }

  private async apply(
    json: string | null,
    event: Record<string, unknown>,
  ): Promise<Record<string, unknown> | null> {
    if (json === null) return event;
    try {
      return evaluateFilter(await this.compile(json), event) ? event : null;
    } catch (err) {
      // Spec 3.27: a filter that fails at evaluation lets the event through, marked.
      return { ...event, filter_error: (err as Error).message || 'filter evaluation failed' };
    }
  }

  touch(pipeline: ReturnType<Redis['pipeline']>, sid: string): void {
    pipeline.expire(this.key(sid), this.idleSeconds);
  }
}
