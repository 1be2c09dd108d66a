/**
 * The control-character guard's search (api/plugins/text-guard.ts) builds
 * the path only for what it finds. It answers exactly what the earlier
 * search that built every path answered (kept here as the reference), on
 * any JSON value (fast-check), first finding and path alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findControlCharacter } from '../../src/api/plugins/text-guard.js';

const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** The search as it was: a path string for every value on the way. */
function reference(value: unknown, forbidden: RegExp, root: string): string | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [v, where] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (forbidden.test(v)) return where;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${where}[${i}]`]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        if (forbidden.test(k)) return `${where} key`;
        stack.push([item, where === '' ? k : `${where}.${k}`]);
      }
    }
  }
  return null;
}

/** Strings that sometimes hold control characters. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom('a', '\u0000', '\t', '\u001b', '\u0085', 'é', '\n') }),
);

describe('findControlCharacter', () => {
  it('agrees with the path-building search on any JSON value', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(text, tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, fc.constantFrom('', 'body'), (v, root) => {
        expect(findControlCharacter(v, FORBIDDEN, root)).toBe(reference(v, FORBIDDEN, root));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with it on objects of strings only (queries and path parameters, its short way)', () => {
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 6 }), fc.constantFrom('', 'q'), (v, root) => {
        expect(findControlCharacter(v, FORBIDDEN, root)).toBe(reference(v, FORBIDDEN, root));
      }),
      { numRuns: 2000 },
    );
  });

  it('looks at keys, nested values and null-prototype objects (parsed queries)', () => {
    const query = Object.create(null) as Record<string, unknown>;
    query['next'] = '1';
    expect(findControlCharacter(query, FORBIDDEN, '') !== null).toBe(false);
    query['bad\u0000key'] = 'x';
    expect(findControlCharacter(query, FORBIDDEN, '') !== null).toBe(true);
    expect(findControlCharacter({ a: [{ b: 'ok' }, { c: 'x\u0007' }] }, FORBIDDEN, '') !== null).toBe(true);
    expect(findControlCharacter({ a: 'tab\tand\nline' }, FORBIDDEN, '') !== null).toBe(false);
    expect(findControlCharacter({ a: [{ b: 'ok' }, { c: 'x\u0007' }] }, FORBIDDEN, '')).toBe('a[1].c');
  });

  it('finds a string 100,000 levels deep without running out of stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findControlCharacter(deep, FORBIDDEN, '')).toBe('[0]'.repeat(100_000));
  });
});
