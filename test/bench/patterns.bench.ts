/**
 * `npm run bench:patterns` (issue 14): what a user pattern costs the engine,
 * against the baseline of compiling it on the spot (what CallFilterService
 * did for every call and what a refused pattern cost before), measured in
 * the same run.
 *
 * 1. Call set-up: the call filter of the spec example (and one with 9
 *    patterns at the size limit) as forUser() gets it now (cached by its
 *    text) against parsing and compiling it per call.
 * 2. A refused pattern (issue 14's `.{0,1000}` x 110): the cost check
 *    against one re2js compilation of it.
 */
import { createHash } from 'node:crypto';
import { RE2JS } from 're2js';
import { parseCallFilter, type CallFilterCompiler } from '../../src/domain/policy/call-filter.js';
import { PatternCompiler, checkPattern } from '../../src/lib/patterns.js';

const SPEC_FILTER = [
  { operator: 'replace', key: '^00', value: '+' },
  { operator: 'replace', key: '^0', value: '+49' },
  { operator: 'replace', key: '^+4911', value: '11' },
  [
    { operator: 'service', key: 'sip', reverse: true, break: true },
    { operator: 'match', key: '^\\+492216698711$', pass: false },
    { operator: 'match', key: '^\\+492216698499$', pass: false },
  ],
  { operator: 'match', key: '^(\\+49(900|137|180)[0-9]*)|(\\+491[5-7][0-9]{8,9})$', pass: false },
  { operator: 'match', key: '^\\+[0-9]{7,20}$', pass: true },
];
const HEAVY_FILTER = Array.from({ length: 9 }, (_, i) => ({
  operator: 'match',
  key: `^\\+${i}[0-9]{0,990}$`,
  pass: false,
}));

/** The old path: every call compiled every pattern. */
const fresh: CallFilterCompiler = (pattern) => {
  const re = RE2JS.compile(pattern);
  return {
    test: (t) => re.test(t),
    replaceAll: (t, v) => (re.test(t) ? re.matcher(t).replaceAll(() => v) : t),
  };
};

function perSecond(fn: () => void, ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) {
    fn();
    n += 1;
  }
  return n / (ms / 1000);
}

async function perSecondAsync(fn: () => Promise<void>, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) {
    await fn();
    n += 1;
  }
  return n / (ms / 1000);
}

const ms = Number(process.env['BENCH_MS'] ?? 2000);
const compiler = new PatternCompiler();
/** forUser()'s path after its SQL read: hash the stored text, find the parsed filter. */
const cache = new Map<string, unknown>();
async function cached(filter: unknown): Promise<void> {
  const key = createHash('sha1')
    .update(JSON.stringify(filter) ?? '')
    .digest('base64');
  if (cache.has(key)) return;
  const { value } = await compiler.prepare((compile) => parseCallFilter(filter, compile));
  cache.set(key, value);
}

console.log(`bench:patterns (${ms} ms per measurement)`);
for (const [name, filter] of [
  ['spec example (6 patterns)', SPEC_FILTER],
  ['9 patterns near the size limit (the largest filter accepted)', HEAVY_FILTER],
] as const) {
  const before = perSecond(() => parseCallFilter(filter, fresh), ms);
  const now = await perSecondAsync(() => cached(filter), ms);
  console.log(
    `call filter, ${name}: per call now ${now.toFixed(0)}/s (${(1e6 / now).toFixed(1)} µs), ` +
      `compiled per call (baseline) ${before.toFixed(1)}/s (${(1e3 / before).toFixed(2)} ms); ratio ${(now / before).toFixed(0)}x`,
  );
}

const HEAVY = '.{0,1000}'.repeat(110);
const t0 = performance.now();
RE2JS.compile(HEAVY);
const compileMs = performance.now() - t0;
const refusals = perSecond(() => {
  try {
    checkPattern(HEAVY);
  } catch {
    // refused, as it must be
  }
}, ms);
console.log(
  `issue 14 pattern: refused in ${(1e6 / refusals).toFixed(1)} µs; one re2js compilation of it (baseline) ` +
    `${compileMs.toFixed(0)} ms; ratio ${((compileMs * 1000) / (1e6 / refusals)).toFixed(0)}x`,
);
