/**
 * Estimates what compiling a user's RE2 pattern costs, before compiling it.
 *
 * RE2 matches in linear time, but compiling expands counted repetition:
 * `x{0,1000}` becomes a thousand nested optional copies of `x`, so a 990
 * character pattern (`.{0,1000}` 110 times) compiles to ~220,000
 * instructions, ~0.5 s of CPU and tens of MB in re2js (issue 14, item 1).
 * RE2 itself bounds this with its `max_mem` program limit after parsing;
 * re2js has no such limit, so the size is estimated from the text here and
 * the pattern refused before the compiler sees it.
 *
 * The estimate follows RE2's compiler (re2/compile.cc): one instruction per
 * literal, class, dot or anchor; `*`, `+`, `?` add one; a capture adds two;
 * `x{n,m}` is m copies of `x` with one more instruction each; `x{n,}` is n
 * copies plus a star. Matching costs O(text × program), so the same number
 * bounds the per-event work of a filter. The scanner is deliberately
 * forgiving: it never throws, and text it does not understand counts as
 * literals; re2js reports real syntax errors afterwards (cheaply: its parser
 * runs before the expansion).
 */

/** Above this the scan stops counting: the pattern is refused anyway. */
const SATURATE = 1e9;

/** RE2's own bound on a single repetition count (re2/parse.cc kMaxRepeat). */
export const MAX_REPEAT = 1000;

interface Frame {
  /** Finished alternatives of the group so far. */
  alts: number[];
  /** The concatenation being built. */
  seq: number;
  /** Size of the last atom of `seq` (what a following repeat applies to); -1: none. */
  last: number;
  capture: boolean;
}

const sat = (n: number): number => (n > SATURATE ? SATURATE : n);

function close(f: Frame): number {
  const alts = [...f.alts, f.seq];
  const sum = alts.reduce((a, b) => a + b, 0) + (alts.length - 1);
  return sat(sum + (f.capture ? 2 : 0));
}

/** Length of the escape at `i` (pointing at the backslash), including what it consumes. */
function escapeLength(p: string, i: number): number {
  const c = p[i + 1];
  if (c === undefined) return 1;
  if ((c === 'p' || c === 'P' || c === 'x') && p[i + 2] === '{') {
    const end = p.indexOf('}', i + 3);
    return end < 0 ? p.length - i : end - i + 1;
  }
  if (c === 'p' || c === 'P') return 3;
  if (c === 'x') return 4;
  return 2;
}

/** Index just past the character class starting at `i` (the `[`). */
function classEnd(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === '^') j++;
  if (p[j] === ']') j++; // a leading ] is a literal
  while (j < p.length) {
    const c = p[j];
    if (c === '\\') j += escapeLength(p, j);
    else if (c === '[' && p[j + 1] === ':') {
      const end = p.indexOf(':]', j + 2);
      j = end < 0 ? j + 1 : end + 2;
    } else if (c === ']') return j + 1;
    else j++;
  }
  return p.length;
}

/** A counted repetition at `i` (`{n}`, `{n,}`, `{n,m}`), or null when the brace is a literal. */
function countedRepeat(p: string, i: number): { min: number; max: number; end: number } | null {
  const m = /^\{([0-9]{1,9})(,([0-9]{0,9}))?\}/.exec(p.slice(i, i + 22));
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
  return { min, max, end: i + m[0].length };
}

export interface PatternCost {
  /** Estimated compiled program size in instructions. */
  program: number;
  /** The largest single repetition count. */
  maxRepeat: number;
}

/** Estimates the compiled size of an RE2 pattern (see the header). Never throws. */
export function estimatePatternCost(p: string): PatternCost {
  const stack: Frame[] = [{ alts: [], seq: 0, last: -1, capture: false }];
  let maxRepeat = 0;
  const top = (): Frame => stack[stack.length - 1] as Frame;
  const atom = (size: number): void => {
    const f = top();
    f.seq = sat(f.seq + size);
    f.last = size;
  };
  const repeat = (sizeOf: (x: number) => number): void => {
    const f = top();
    // A repeat with nothing before it is a syntax error re2js reports; count it as a literal.
    const x = f.last < 0 ? 1 : Math.max(f.last, 1);
    const before = f.last < 0 ? f.seq : f.seq - f.last;
    const size = sat(sizeOf(x));
    f.seq = sat(before + size);
    f.last = size;
  };
  let i = 0;
  while (i < p.length) {
    const c = p[i] as string;
    if (c === '\\') {
      if (p[i + 1] === 'Q') {
        // \Q...\E: every character up to \E is a literal.
        const end = p.indexOf('\\E', i + 2);
        const stop = end < 0 ? p.length : end;
        for (let k = i + 2; k < stop; k++) atom(1);
        i = end < 0 ? p.length : end + 2;
        continue;
      }
      atom(1);
      i += escapeLength(p, i);
    } else if (c === '[') {
      atom(1);
      i = classEnd(p, i);
    } else if (c === '(') {
      if (p[i + 1] === '?') {
        // (?flags) changes flags without a group; (?:...), (?flags:...) group without capture.
        const m = /^\(\?(P?<[^>]*>|[a-zA-Z-]*)(:|\))?/.exec(p.slice(i, i + 40));
        const head = m?.[0] ?? '(?';
        if (m?.[2] === ')') {
          i += head.length;
          continue;
        }
        stack.push({ alts: [], seq: 0, last: -1, capture: head.includes('<') });
        i += head.length;
        continue;
      }
      stack.push({ alts: [], seq: 0, last: -1, capture: true });
      i++;
    } else if (c === ')') {
      if (stack.length > 1) {
        const f = stack.pop() as Frame;
        atom(close(f));
      } else atom(1);
      i++;
    } else if (c === '|') {
      const f = top();
      f.alts.push(f.seq);
      f.seq = 0;
      f.last = -1;
      i++;
    } else if (c === '*' || c === '+' || c === '?') {
      repeat((x) => x + 1);
      i++;
      if (p[i] === '?') i++; // non-greedy
    } else if (c === '{') {
      const r = countedRepeat(p, i);
      if (r === null) {
        atom(1);
        i++;
        continue;
      }
      maxRepeat = Math.max(maxRepeat, r.min, r.max);
      // RE2's simplifier: n copies, then a star or (m - n) nested optional copies.
      repeat((x) => r.min * x + (r.max < 0 ? x + 1 : Math.max(r.max - r.min, 0) * (x + 1)) || 1);
      i = r.end;
      if (p[i] === '?') i++;
    } else {
      atom(1);
      i++;
    }
  }
  while (stack.length > 1) {
    const f = stack.pop() as Frame;
    atom(close(f));
  }
  // Two more for the match's own start and end instructions.
  return { program: sat(close(top()) + 2), maxRepeat };
}
