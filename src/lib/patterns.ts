/**
 * Users' and partners' regular expressions (event filters spec 3.27, call
 * filters 9.1.3, dialplan v2 caller filters 4.1), compiled in one place.
 *
 * Engine: re2js, a pure-JS port of RE2 (linear-time matching, no native
 * build). The native `re2` binding was measured as the alternative: its
 * install script downloads a prebuilt binary (impossible offline) or builds
 * RE2 and Abseil with node-gyp (minutes of CPU, a C++ toolchain on every
 * machine), and it exposes no `max_mem` option, so it spent 140 ms compiling
 * `.{0,1000}` ten times before failing larger ones with "pattern too large".
 * Neither engine is safe without a bound checked before compiling, so:
 *
 * - every pattern's compiled size is estimated first (pattern-cost.ts) and
 *   refused with PatternLimitError naming the limit: length, a single
 *   repetition count, the program size of one pattern, and the summed size
 *   of all patterns of one stored object (a PatternBudget);
 * - compiled patterns are cached by their text in an LRU bounded by bytes,
 *   so a call or an event never pays compilation for a pattern seen before;
 * - prepare() compiles what a parser needs ahead of it, yielding to the
 *   event loop between patterns, so no request holds the loop for longer
 *   than one pattern's compilation (~10 ms at the size limit, this machine).
 */
import { RE2JS } from 're2js';
import { estimatePatternCost, MAX_REPEAT } from './pattern-cost.js';
import { SizedLru } from './sized-lru.js';

export const PATTERN_LIMITS = {
  /** Characters of one pattern. */
  maxLength: 1000,
  /** One counted repetition `{n,m}` (RE2's own bound). */
  maxRepeat: MAX_REPEAT,
  /** Estimated compiled instructions of one pattern: ~10 ms and ~0.6 MB in re2js. */
  maxProgram: 3000,
  /** Estimated instructions of all patterns of one filter, call filter or dialplan. */
  maxTotalProgram: 20000,
} as const;

export type PatternLimit = keyof typeof PATTERN_LIMITS;

/** A pattern refused before compiling; the message names the limit. */
export class PatternLimitError extends Error {
  override name = 'PatternLimitError';
  constructor(
    readonly limit: PatternLimit,
    message: string,
  ) {
    super(message);
  }
}

export interface CompiledPattern {
  /** A partial match (like `Matcher.find()`), the semantics of every caller. */
  test(text: string): boolean;
  /** Replaces every match with `value`, taken literally (`$1` stays `$1`). */
  replaceAll(text: string, value: string): string;
}

/** Measured heap of a compiled re2js pattern: a fixed part plus ~180 bytes per instruction. */
export function patternWeight(program: number, length: number): number {
  return 6000 + 200 * program + 2 * length;
}

/** The summed cost of the patterns of one stored object (one filter, one dialplan). */
export class PatternBudget {
  program = 0;
  weight = 0;
  constructor(readonly maxProgram: number = PATTERN_LIMITS.maxTotalProgram) {}
}

/** Checks a pattern against the limits and charges the budget; returns its estimated program size. */
export function checkPattern(pattern: string, budget?: PatternBudget): number {
  if (pattern.length > PATTERN_LIMITS.maxLength)
    throw new PatternLimitError(
      'maxLength',
      `is longer than ${PATTERN_LIMITS.maxLength} characters (pattern limit maxLength)`,
    );
  const cost = estimatePatternCost(pattern);
  if (cost.maxRepeat > PATTERN_LIMITS.maxRepeat)
    throw new PatternLimitError(
      'maxRepeat',
      `repeats more than ${PATTERN_LIMITS.maxRepeat} times (pattern limit maxRepeat)`,
    );
  if (cost.program > PATTERN_LIMITS.maxProgram)
    throw new PatternLimitError(
      'maxProgram',
      `would compile to about ${cost.program} instructions, more than the pattern limit maxProgram of ${PATTERN_LIMITS.maxProgram}`,
    );
  if (budget) {
    if (budget.program + cost.program > budget.maxProgram)
      throw new PatternLimitError(
        'maxTotalProgram',
        `brings the patterns to about ${budget.program + cost.program} instructions, more than the pattern limit maxTotalProgram of ${budget.maxProgram}`,
      );
    budget.program += cost.program;
    budget.weight += patternWeight(cost.program, pattern.length);
  }
  return cost.program;
}

function wrap(re: RE2JS): CompiledPattern {
  return {
    // test() is a partial match like Matcher.find(), without building a Matcher (about 2.5x faster).
    test: (text) => re.test(text),
    // A replacer function inserts the value verbatim.
    replaceAll: (text, value) => (re.test(text) ? re.matcher(text).replaceAll(() => value) : text),
  };
}

export type PatternCompile = (pattern: string) => CompiledPattern;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Compiles and caches checked patterns; one per process (`userPatterns`). */
export class PatternCompiler {
  private cache: SizedLru<string, CompiledPattern>;
  /** Compilations done (cache misses that compiled), for tests and metrics. */
  compilations = 0;

  /**
   * @param cacheBytes bound of the compiled-pattern cache
   * @param sliceMs prepare() yields to the event loop once compiling has taken this long
   */
  constructor(
    cacheBytes = 64 * 1024 * 1024,
    private readonly sliceMs = 5,
  ) {
    this.cache = new SizedLru(cacheBytes);
  }

  /** Sets the cache bound (PATTERN_CACHE_MB); drops what is cached. */
  setCacheBytes(bytes: number): void {
    if (bytes !== this.cache.maxWeight) this.cache = new SizedLru(bytes);
  }

  get cacheBytes(): number {
    return this.cache.maxWeight;
  }

  get cachedWeight(): number {
    return this.cache.weight;
  }

  /** A checked, cached pattern; throws PatternLimitError or re2js's syntax error. */
  compile(pattern: string, budget?: PatternBudget): CompiledPattern {
    const program = checkPattern(pattern, budget);
    const hit = this.cache.get(pattern);
    if (hit) return hit;
    const compiled = wrap(RE2JS.compile(pattern));
    this.compilations += 1;
    this.cache.set(pattern, compiled, patternWeight(program, pattern.length));
    return compiled;
  }

  /** A compile function charging one budget: give each stored object its own. */
  compiler(budget: PatternBudget = new PatternBudget()): PatternCompile {
    return (pattern) => this.compile(pattern, budget);
  }

  /** The same as a plain matcher (event filters, dialplan caller filters). */
  matcher(budget: PatternBudget = new PatternBudget()): (pattern: string) => (text: string) => boolean {
    return (pattern) => {
      const re = this.compile(pattern, budget);
      return (text) => re.test(text);
    };
  }

  /**
   * Runs a synchronous parser whose patterns may be costly without holding the
   * event loop: a first pass checks the structure and every pattern's cost
   * without compiling (throwing what the parser throws), the patterns not yet
   * cached are then compiled one at a time with a yield between them, and
   * the final pass finds them all in the cache. Returns the result and the
   * summed weight of its patterns (for caches of parsed objects).
   */
  async prepare<T>(parse: (compile: PatternCompile) => T): Promise<{ value: T; weight: number }> {
    const patterns: string[] = [];
    const check = new PatternBudget();
    parse((pattern) => {
      checkPattern(pattern, check);
      patterns.push(pattern);
      return DRY_RUN;
    });
    let slice = performance.now();
    for (const p of patterns) {
      if (this.cache.get(p)) continue;
      try {
        this.compile(p);
      } catch {
        // A syntax error: the final pass reports it with the parser's own wording.
      }
      if (performance.now() - slice >= this.sliceMs) {
        await yieldToLoop();
        slice = performance.now();
      }
    }
    const budget = new PatternBudget();
    const value = parse(this.compiler(budget));
    return { value, weight: budget.weight };
  }
}

/** Stands in for a compiled pattern during prepare()'s checking pass; parsers do not match while parsing. */
const DRY_RUN: CompiledPattern = {
  test: () => false,
  replaceAll: (text) => text,
};

/** The process's pattern compiler: every user pattern goes through it. */
export const userPatterns = new PatternCompiler();

/** Whether an error is a refused pattern (its message already says why). */
export function isPatternLimitError(err: unknown): err is PatternLimitError {
  return err instanceof PatternLimitError;
}
