import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RE2JS } from 're2js';
import { evaluateFilter, parseFilter, type Filter, type RegexCompiler } from '../domain/event-filter.js';

/**
 * Users' regular expressions run on RE2JS, a linear-time engine (no
 * backtracking), so a pattern like `(a+)+$` cannot stall the server. Pure
 * JavaScript: no native build step.
 */
export const re2Compiler: RegexCompiler = (pattern) => {
  const re = RE2JS.compile(pattern);
  // test() is a partial match like matcher().find(), without building a Matcher.
  return (text) => re.test(text);
};

/**
 * Session filters live in Redis (ev:filter:<sid>, JSON) so every node applies
 * the same filter; compiled forms are cached per process by content hash.
 */
export class FilterStore {
  private readonly compiled = new Map<string, Filter>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly idleSeconds: number,
  ) {}

  private key(sid: string): string {
    return `${this.prefix}ev:filter:${sid}`;
  }

  /** Checks the filter (throws FilterSyntaxError) and attaches it to the session. */
  async attach(sid: string, filter: unknown): Promise<void> {
    parseFilter(filter, re2Compiler);
    await this.redis.set(this.key(sid), JSON.stringify(filter), 'EX', this.idleSeconds);
  }

  async detach(sid: string): Promise<void> {
    await this.redis.del(this.key(sid));
  }

  private compile(json: string): Filter {
    const hash = createHash('sha1').update(json).digest('base64');
    let f = this.compiled.get(hash);
    if (!f) {
      f = parseFilter(JSON.parse(json) as unknown, re2Compiler);
      if (this.compiled.size > 5000) this.compiled.clear();
      this.compiled.set(hash, f);
    }
    return f;
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
    return filters.map((json) => {
      if (json === null) return event;
      try {
        return evaluateFilter(this.compile(json), event) ? event : null;
      } catch (err) {
        // Spec 3.27: a filter that fails at evaluation lets the event through, marked.
        return { ...event, filter_error: (err as Error).message || 'filter evaluation failed' };
      }
    });
  }

  touch(pipeline: ReturnType<Redis['pipeline']>, sid: string): void {
    pipeline.expire(this.key(sid), this.idleSeconds);
  }
}
