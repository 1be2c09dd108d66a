/**
 * The control-character guard's fast check (api/plugins/text-guard.ts):
 * it finds a forbidden character exactly when the path-building search
 * does, on any JSON value (fast-check), so skipping the paths changes no
 * answer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findControlCharacter, hasControlCharacter } from '../../src/api/plugins/text-guard.js';

const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Strings that sometimes hold control characters. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom('a', '\u0000', '\t', '\u001b', '\u0085', 'é', '\n') }),
);

describe('hasControlCharacter', () => {
  it('agrees with findControlCharacter on any JSON value', () => {
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
      fc.property(json, (v) => {
        expect(hasControlCharacter(v, FORBIDDEN)).toBe(findControlCharacter(v, FORBIDDEN, '') !== null);
      }),
      { numRuns: 2000 },
    );
  });

  it('looks at keys, nested values and null-prototype objects (parsed queries)', () => {
    const query = Object.create(null) as Record<string, unknown>;
    query['next'] = '1';
    expect(hasControlCharacter(query, FORBIDDEN)).toBe(false);
    query['bad\u0000key'] = 'x';
    expect(hasControlCharacter(query, FORBIDDEN)).toBe(true);
    expect(hasControlCharacter({ a: [{ b: 'ok' }, { c: 'x\u0007' }] }, FORBIDDEN)).toBe(true);
    expect(hasControlCharacter({ a: 'tab\tand\nline' }, FORBIDDEN)).toBe(false);
    expect(findControlCharacter({ a: [{ b: 'ok' }, { c: 'x\u0007' }] }, FORBIDDEN, '')).toBe('a[1].c');
  });
});
