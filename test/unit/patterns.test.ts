import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { estimatePatternCost } from '../../src/lib/pattern-cost.js';
import {
  PATTERN_LIMITS,
  PatternBudget,
  PatternCompiler,
  PatternLimitError,
  checkPattern,
} from '../../src/lib/patterns.js';
import { SizedLru } from '../../src/lib/sized-lru.js';

/** The instruction count re2js really compiles a pattern to (its internal program). */
function realProgram(pattern: string): number {
  const re = RE2JS.compile(pattern) as unknown as { re2Input: { prog: { inst: unknown[] } } };
  return re.re2Input.prog.inst.length;
}

const limitOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof PatternLimitError) return err.limit;
    throw err;
  }
  return 'none';
};

/** Random RE2 patterns with small repeat counts, so re2js compiles them quickly. */
const patternArb: fc.Arbitrary<string> = fc.letrec<{ re: string }>((tie) => ({
  re: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', '.', '\\d', '[0-9]', '[^x]', '\\+', '^', '$', '\\pL', '[[:alpha:]]', 'x{'),
    fc.tuple(tie('re'), tie('re')).map(([a, b]) => a + b),
    fc.tuple(tie('re'), tie('re')).map(([a, b]) => `(${a}|${b})`),
    fc.tuple(tie('re'), fc.constantFrom('*', '+', '?', '*?')).map(([a, op]) => `(?:${a})${op}`),
    fc
      .tuple(tie('re'), fc.nat(6), fc.nat(6), fc.boolean())
      .map(([a, n, m, open]) => `(${a}){${n}${open ? ',' : `,${n + m}`}}`),
    fc.tuple(tie('re'), fc.nat(8)).map(([a, n]) => `(?:${a}){${n}}`),
  ),
})).re;

describe('estimatePatternCost', () => {
  it('never estimates a pattern much below what re2js compiles it to', () => {
    fc.assert(
      fc.property(patternArb, (p) => {
        const estimate = estimatePatternCost(p).program;
        // Counts on nested groups can go beyond the repeat bound; skip what re2js refuses.
        let real: number;
        try {
          real = realProgram(p);
        } catch {
          return;
        }
        // Empty-width loops take an instruction more in RE2; never more than half again.
        expect(estimate * 1.5 + 2, p).toBeGreaterThanOrEqual(real);
      }),
      { numRuns: 1000 },
    );
  });

  it('is close for the patterns users write and the one that froze the engine', () => {
    for (const p of ['^\\+49[0-9]{3,20}$', '^(\\+49|0049)221.*', '.{0,1000}', 'anonymous|\\+4930.*']) {
      const estimate = estimatePatternCost(p).program;
      const real = realProgram(p);
      expect(estimate, p).toBeGreaterThanOrEqual(real - 2);
      expect(estimate, p).toBeLessThanOrEqual(real * 2 + 4);
    }
    // Issue 14: 990 characters, ~0.5 s and tens of MB to compile in re2js.
    expect(estimatePatternCost('.{0,1000}'.repeat(110)).program).toBeGreaterThan(200_000);
  });

  it('reads literals, escapes and classes as the RE2 parser does', () => {
    expect(estimatePatternCost('\\Q{1000}\\E').program).toBe(6 + 2);
    expect(estimatePatternCost('a{,5}').maxRepeat).toBe(0); // not a repeat in RE2
    expect(estimatePatternCost('\\p{Greek}').program).toBe(3);
    expect(estimatePatternCost('[a-z{}]{3}').program).toBe(5);
    expect(estimatePatternCost('x{2,1000}').maxRepeat).toBe(1000);
    expect(estimatePatternCost('(((').program).toBeGreaterThan(0);
    expect(estimatePatternCost(')|)').program).toBeGreaterThan(0);
  });
});

describe('pattern limits', () => {
  it('refuses the issue 14 patterns before compiling, naming the limit', () => {
    const compiler = new PatternCompiler();
    expect(limitOf(() => compiler.compile('.{0,1000}'.repeat(110)))).toBe('maxProgram');
    expect(limitOf(() => compiler.compile('(.{0,1000}){0,1000}'))).toBe('maxProgram');
    expect(limitOf(() => compiler.compile('a{1001}'))).toBe('maxRepeat');
    expect(limitOf(() => compiler.compile('a'.repeat(1001)))).toBe('maxLength');
    expect(compiler.compilations).toBe(0);
    try {
      compiler.compile('.{0,1000}'.repeat(2));
    } catch (err) {
      expect((err as Error).message).toMatch(/pattern limit maxProgram of 3000/);
    }
  });

  it('takes patterns up to the limit', () => {
    const compiler = new PatternCompiler();
    expect(compiler.compile('^\\+49[0-9]{3,20}$').test('+49221123456')).toBe(true);
    expect(compiler.compile('[0-9]{0,1000}').test('12')).toBe(true);
    expect(checkPattern('x{1000}')).toBeLessThanOrEqual(PATTERN_LIMITS.maxProgram);
  });

  it('sums the patterns of one object in its budget', () => {
    const budget = new PatternBudget();
    for (let i = 0; i < 9; i++) checkPattern(`${i}[0-9]{0,1000}`, budget);
    expect(limitOf(() => checkPattern('x[0-9]{0,1000}', budget))).toBe('maxTotalProgram');
    expect(budget.program).toBeLessThanOrEqual(PATTERN_LIMITS.maxTotalProgram);
    // Another object has its own budget.
    expect(limitOf(() => checkPattern('x[0-9]{0,1000}', new PatternBudget()))).toBe('none');
  });
});

describe('PatternCompiler cache', () => {
  it('compiles a pattern text once, however often it is used', () => {
    const compiler = new PatternCompiler();
    for (let i = 0; i < 50; i++) compiler.compile('^\\+4930.*');
    expect(compiler.compilations).toBe(1);
    compiler.compile('^\\+4940.*');
    expect(compiler.compilations).toBe(2);
  });

  it('is bounded by bytes: heavy patterns evict, the total stays under the bound', () => {
    const compiler = new PatternCompiler(2 * 1024 * 1024);
    for (let i = 0; i < 20; i++) compiler.compile(`${i}[0-9]{0,1000}`);
    expect(compiler.cachedWeight).toBeLessThanOrEqual(2 * 1024 * 1024);
    compiler.compile('19[0-9]{0,1000}');
    expect(compiler.compilations).toBe(20);
    compiler.compile('0[0-9]{0,1000}');
    expect(compiler.compilations).toBe(21);
  });

  it('prepare() checks first, compiles between yields and returns the parse result', async () => {
    const compiler = new PatternCompiler(64 * 1024 * 1024, 0);
    const patterns = Array.from({ length: 6 }, (_, i) => `${i}.{0,1000}`);
    const pending = compiler.prepare((compile) => patterns.map((p) => compile(p)));
    // Other work runs while the patterns compile (sliceMs 0: a yield after each).
    const seen = await new Promise<number>((resolve) => setImmediate(() => resolve(compiler.compilations)));
    const { value, weight } = await pending;
    expect(seen).toBeLessThan(6);
    expect(value.map((re, i) => re.test(`${i}abc`))).toEqual([true, true, true, true, true, true]);
    expect(weight).toBeGreaterThan(6 * 2000 * 100);
    expect(compiler.compilations).toBe(6);
    // A refused pattern fails the whole parse before anything compiles.
    const before = compiler.compilations;
    await expect(compiler.prepare((compile) => [compile('new'), compile('a{5000}')])).rejects.toThrow(
      PatternLimitError,
    );
    expect(compiler.compilations).toBe(before);
  });
});

describe('SizedLru', () => {
  it('evicts the least recently used entries by weight', () => {
    const lru = new SizedLru<string, number>(10);
    lru.set('a', 1, 4);
    lru.set('b', 2, 4);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3, 4);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
    lru.set('huge', 4, 11);
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.weight).toBe(8);
    lru.delete('a');
    expect(lru.weight).toBe(4);
  });
});
