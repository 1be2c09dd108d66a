import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CALL_FILTER_LIMITS,
  CALL_SERVICES,
  evaluateCallFilter,
  parseCallFilter,
  type CallService,
} from '../../src/domain/policy/call-filter.js';
import { PolicyError } from '../../src/domain/policy/errors.js';
import { re2CallFilterCompiler } from '../../src/lib/re2-call-filter.js';

const parse = (v: unknown) => parseCallFilter(v, re2CallFilterCompiler);
const run = (v: unknown, number: string, service: CallService = 'sip') =>
  evaluateCallFilter(parse(v), { number, service });

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof PolicyError) return err.code;
    throw err;
  }
  return 'ok';
};

/**
 * Spec 9.1.3 POST example, joined across its page break. The long pattern is
 * written as in the second copy (`)|(`); the first copy's " | " is the
 * PDF's line-continuation artefact.
 */
const SPEC_EXAMPLE = JSON.parse(String.raw`{
  "callfilter": [
    { "operator": "replace", "key": "^00", "value": "+" },
    { "operator": "replace", "key": "^0", "value": "+49" },
    { "operator": "replace", "key": "^+4911", "value": "11" },
    [
      { "operator": "service", "key": "sip", "reverse": true, "break": true },
      { "operator": "match", "key": "^\\+492216698711$", "pass": false },
      { "operator": "match", "key": "^\\+492216698499$", "pass": false },
      { "operator": "match", "key": "^(\\+49[2-8][0-9]{3,16})|(\\+499[1-9][0-9]{3,15})|(\\+4990[1-9][0-9]{3,14})$", "pass": true },
      { "operator": "match", "key": "^[1]{2}[0-7][0-9]{0,3}$", "pass": true }
    ],
    [
      { "operator": "service", "key": "fax", "reverse": true, "break": true },
      { "operator": "match", "key": "^(\\+49[2-8][0-9]{3,16})|(\\+499[1-9][0-9]{3,15})|(\\+4990[1-9][0-9]{3,14})$", "pass": true }
    ],
    { "operator": "match", "key": ".*", "pass": false }
  ]
}`) as { callfilter: unknown };

describe('call filter: the spec 9.1.3 example', () => {
  const filter = parse(SPEC_EXAMPLE.callfilter);

  // Each outcome the spec's explanation lists, one row per claim.
  const table: Array<[string, CallService, string, boolean, string]> = [
    // "altered to match the German international phone number format"
    ['national number gets +49', 'sip', '02211234567', true, '+492211234567'],
    ['00 becomes +', 'sip', '00492211234567', true, '+492211234567'],
    ['international format stays', 'sip', '+492211234567', true, '+492211234567'],
    // "excluding the special number prefix 11 (used for emergency calls)"
    ['112 is not rewritten and is allowed', 'sip', '112', true, '112'],
    ['110 is allowed', 'sip', '110', true, '110'],
    ['0112 comes back to 112', 'sip', '0112', true, '112'],
    ['116116 (11 + [0-7] + digits) allowed', 'sip', '116116', true, '116116'],
    ['11833 is outside ^[1]{2}[0-7] and denied', 'sip', '11833', false, '11833'],
    ['119 is outside ^[1]{2}[0-7] and denied', 'sip', '119', false, '119'],
    // "+492216698711 and +492216698499 are explicitly denied"
    ['explicit deny 711', 'sip', '02216698711', false, '+492216698711'],
    ['explicit deny 499', 'sip', '+492216698499', false, '+492216698499'],
    // "German fixed network numbers, service numbers that are free of charge ... allowed"
    ['fixed network Cologne', 'sip', '02216698712', true, '+492216698712'],
    ['fixed network +499x', 'sip', '09111234567', true, '+499111234567'],
    ['free of charge 0800', 'sip', '08001234567', true, '+498001234567'],
    // not allowed so far -> continues; not fax -> second array cancelled; end denies
    ['mobile is denied for sip', 'sip', '01711234567', false, '+491711234567'],
    ['foreign is denied for sip', 'sip', '00442071234567', false, '+442071234567'],
    // "If the service type is not of the type sip, the inner JSON array will be canceled"
    ['fax skips the sip deny list', 'fax', '02216698711', true, '+492216698711'],
    ['fax to fixed network allowed', 'fax', '02211234567', true, '+492211234567'],
    ['fax to 0800 allowed', 'fax', '08001234567', true, '+498001234567'],
    ['fax to emergency denied', 'fax', '112', false, '112'],
    ['fax to mobile denied', 'fax', '01711234567', false, '+491711234567'],
    // "At the end of the filter, all calls are denied."
    ['other service denied even to fixed network', 'dialplan', '02211234567', false, '+492211234567'],
    ['call_api denied', 'call_api', '112', false, '112'],
  ];

  it.each(table)('%s', (_name, service, dialled, allowed, number) => {
    expect(evaluateCallFilter(filter, { number: dialled, service })).toEqual({ allowed, number });
  });

  it('counts the operators', () => {
    expect(filter.operators).toBe(11);
  });

  it('accepts the GET example (one operator object)', () => {
    const f = parse({ operator: 'match', key: '.+', pass: false });
    expect(evaluateCallFilter(f, { number: '1', service: 'sip' }).allowed).toBe(false);
    expect(evaluateCallFilter(f, { number: '', service: 'sip' }).allowed).toBe(true);
  });
});

describe('call filter semantics', () => {
  it('replace replaces every match, literally', () => {
    expect(run([{ operator: 'replace', key: '1', value: '2' }], '1011')).toEqual({
      allowed: true,
      number: '2022',
    });
    expect(run([{ operator: 'replace', key: '(1)', value: '$1' }], '010')).toEqual({
      allowed: true,
      number: '0$10',
    });
  });

  it('an empty decision allows the call', () => {
    expect(run([{ operator: 'match', key: '^9', pass: false }], '123').allowed).toBe(true);
  });

  it('reverse negates match and service', () => {
    const f = [{ operator: 'match', key: '^\\+49', reverse: true, pass: false }];
    expect(run(f, '+4930').allowed).toBe(true);
    expect(run(f, '+4330').allowed).toBe(false);
    const s = [{ operator: 'service', key: 'fax', reverse: true, pass: false }];
    expect(run(s, '1', 'fax').allowed).toBe(true);
    expect(run(s, '1', 'sip').allowed).toBe(false);
  });

  it('break leaves only the current array', () => {
    const f = [
      [
        { operator: 'match', key: '.', break: true },
        { operator: 'match', key: '.', pass: true },
      ],
      { operator: 'match', key: '.', pass: false },
    ];
    expect(run(f, '1').allowed).toBe(false);
    expect(run(f, '').allowed).toBe(true);
  });

  it('break at the top level ends evaluation and allows', () => {
    const f = [
      { operator: 'match', key: '.', break: true },
      { operator: 'match', key: '.', pass: false },
    ];
    expect(run(f, '1').allowed).toBe(true);
  });

  it('break: false is a condition without effect', () => {
    const f = [
      { operator: 'match', key: '.', break: false },
      { operator: 'match', key: '.', pass: false },
    ];
    expect(run(f, '1').allowed).toBe(false);
  });

  it('a decision inside a nested array decides the call', () => {
    const f = [
      [[{ operator: 'match', key: '^1', pass: false }]],
      { operator: 'match', key: '.', pass: true },
    ];
    expect(run(f, '12').allowed).toBe(false);
    expect(run(f, '22').allowed).toBe(true);
  });

  it('rewrites inside a nested array stay after it', () => {
    const f = [
      [{ operator: 'replace', key: '^0', value: '+49' }],
      { operator: 'match', key: '^\\+49', pass: false },
    ];
    expect(run(f, '030')).toEqual({ allowed: false, number: '+4930' });
  });

  it('the decision reports the number as rewritten so far', () => {
    const f = [
      { operator: 'replace', key: '^0', value: '+49' },
      { operator: 'match', key: '.', pass: true },
      { operator: 'replace', key: '.', value: 'x' },
    ];
    expect(run(f, '030')).toEqual({ allowed: true, number: '+4930' });
  });

  it('denies a number that rewriting blows up', () => {
    const f = Array.from({ length: 10 }, () => ({ operator: 'replace', key: '', value: 'xx' }));
    expect(run(f, '1')).toMatchObject({ allowed: false });
  });

  it('runs a catastrophic-backtracking pattern in linear time (RE2)', () => {
    // A backtracking engine needs about 2^120 steps here: the test would time out instead of passing.
    expect(run([{ operator: 'match', key: '^(1+)+$', pass: false }], `${'1'.repeat(120)}2`).allowed).toBe(
      true,
    );
  });
});

describe('call filter validation', () => {
  const op = { operator: 'match', key: '.', pass: true };
  it.each<[string, string, unknown]>([
    ['empty array', 'empty-filter', []],
    ['only empty arrays', 'empty-filter', [[], [[]]]],
    ['250 operators', 'ok', Array.from({ length: 250 }, () => op)],
    ['251 operators', 'too-large', Array.from({ length: 251 }, () => op)],
    [
      '251 operators nested',
      'too-large',
      [Array.from({ length: 200 }, () => op), [Array.from({ length: 51 }, () => op)]],
    ],
    ['too many arrays', 'too-large', Array.from({ length: 300 }, () => [])],
    ['too deep', 'wrong-syntax', JSON.parse(`${'['.repeat(20)}${JSON.stringify(op)}${']'.repeat(20)}`)],
    ['missing', 'missing-element', undefined],
    ['a string', 'wrong-syntax', 'match'],
    ['a number item', 'wrong-syntax', [1]],
    ['unknown operator', 'wrong-syntax', [{ operator: 'drop', key: '.' }]],
    ['no operator', 'missing-element', [{ key: '.', pass: true }]],
    ['pass in replace', 'wrong-syntax', [{ operator: 'replace', key: '0', value: '1', pass: true }]],
    ['break in replace', 'wrong-syntax', [{ operator: 'replace', key: '0', value: '1', break: true }]],
    ['reverse in replace', 'wrong-syntax', [{ operator: 'replace', key: '0', value: '1', reverse: true }]],
    ['replace without value', 'missing-element', [{ operator: 'replace', key: '0' }]],
    ['replace value not a string', 'wrong-syntax', [{ operator: 'replace', key: '0', value: 1 }]],
    ['replace value too long', 'wrong-syntax', [{ operator: 'replace', key: '0', value: 'x'.repeat(101) }]],
    ['match without pass or break', 'missing-element', [{ operator: 'match', key: '.' }]],
    ['match with pass and break', 'wrong-syntax', [{ operator: 'match', key: '.', pass: true, break: true }]],
    ['pass not boolean', 'wrong-syntax', [{ operator: 'match', key: '.', pass: 'true' }]],
    ['reverse not boolean', 'wrong-syntax', [{ operator: 'match', key: '.', pass: true, reverse: 1 }]],
    ['match without key', 'missing-element', [{ operator: 'match', pass: true }]],
    ['key not a string', 'wrong-syntax', [{ operator: 'match', key: 5, pass: true }]],
    ['invalid regex', 'wrong-syntax', [{ operator: 'match', key: '(', pass: true }]],
    ['backreference (not RE2)', 'wrong-syntax', [{ operator: 'match', key: '(1)\\1', pass: true }]],
    ['regex too long', 'wrong-syntax', [{ operator: 'match', key: '1'.repeat(1001), pass: true }]],
    ['unknown service', 'wrong-syntax', [{ operator: 'service', key: 'sms', pass: true }]],
    ['service without key', 'missing-element', [{ operator: 'service', pass: true }]],
    ['unknown field', 'wrong-syntax', [{ operator: 'match', key: '.', pass: true, comment: 'x' }]],
  ])('%s -> %s', (_name, code, input) => {
    expect(codeOf(() => parse(input))).toBe(code);
  });

  it('accepts every spec service type', () => {
    for (const key of CALL_SERVICES)
      expect(codeOf(() => parse([{ operator: 'service', key, pass: true }]))).toBe('ok');
  });

  it('never throws anything but PolicyError, whatever the JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        codeOf(() => parse(v));
      }),
      { numRuns: 2000 },
    );
  });
});

// ---- property tests against an independent reference interpreter ----

type Ref =
  | { operator: 'replace'; key: string; value: string }
  | { operator: 'match'; key: string; pass?: boolean; break?: boolean; reverse?: boolean }
  | { operator: 'service'; key: CallService; pass?: boolean; break?: boolean; reverse?: boolean }
  | Ref[];

/** Patterns both RE2 and JS RegExp read the same way: digits, anchors, '.', '+'. */
const digit = fc.constantFrom('0', '1', '2', '9');
const pattern = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.oneof(digit, fc.constant('.'), fc.constant('1+')), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
  )
  .map(([a, body, z]) => `${a ? '^' : ''}${body.join('')}${z ? '$' : ''}`);
const act = fc.oneof(
  fc.boolean().map((pass) => ({ pass })),
  fc.constant({ break: true }),
);
const operator: fc.Arbitrary<Ref> = fc.oneof(
  fc.record({
    operator: fc.constant('replace' as const),
    key: pattern,
    value: fc.stringMatching(/^[0-9+]{0,2}$/),
  }),
  fc
    .tuple(pattern, act, fc.boolean())
    .map(([key, a, reverse]) => ({ operator: 'match' as const, key, reverse, ...a })),
  fc
    .tuple(fc.constantFrom(...CALL_SERVICES), act, fc.boolean())
    .map(([key, a, reverse]) => ({ operator: 'service' as const, key, reverse, ...a })),
);
const filterArb: fc.Arbitrary<Ref[]> = fc.letrec<{ list: Ref[]; item: Ref }>((tie) => ({
  list: fc.array(tie('item'), { minLength: 1, maxLength: 5 }),
  item: fc.oneof({ depthSize: 'small', withCrossShrink: true }, operator, operator, tie('list')),
})).list;

class Break extends Error {}

/** Straightforward reading of spec 9.1.3 with JS RegExp and exceptions for break. */
function reference(
  filter: Ref[],
  number: string,
  service: CallService,
): { allowed: boolean; number: string } {
  let n = number;
  const walk = (items: Ref[]): boolean | null => {
    try {
      for (const it of items) {
        if (Array.isArray(it)) {
          const d = walk(it);
          if (d !== null) return d;
        } else if (it.operator === 'replace') {
          n = n.replace(new RegExp(it.key, 'g'), () => it.value);
          if (n.length > CALL_FILTER_LIMITS.maxNumber) return false;
        } else {
          const hit = it.operator === 'match' ? new RegExp(it.key).test(n) : it.key === service;
          if (hit !== (it.reverse ?? false)) {
            if (it.pass !== undefined) return it.pass;
            if (it.break) throw new Break();
          }
        }
      }
    } catch (e) {
      if (e instanceof Break) return null;
      throw e;
    }
    return null;
  };
  return { allowed: walk(filter) !== false, number: n };
}

const countOps = (f: Ref[]): number => f.reduce((s, it) => s + (Array.isArray(it) ? countOps(it) : 1), 0);

describe('call filter properties', () => {
  it('agrees with the reference interpreter', () => {
    fc.assert(
      fc.property(
        filterArb,
        fc.stringMatching(/^[0-9+]{0,8}$/),
        fc.constantFrom(...CALL_SERVICES),
        (f, number, service) => {
          fc.pre(countOps(f) > 0);
          expect(evaluateCallFilter(parse(f), { number, service })).toEqual(reference(f, number, service));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a filter without pass fields allows every call', () => {
    fc.assert(
      fc.property(filterArb, fc.stringMatching(/^[0-9]{0,8}$/), (f, number) => {
        const strip = (items: Ref[]): Ref[] =>
          items.map((it) =>
            Array.isArray(it) ? strip(it) : 'pass' in it ? { ...it, pass: undefined, break: true } : it,
          );
        const g = JSON.parse(JSON.stringify(strip(f))) as Ref[];
        fc.pre(countOps(g) > 0);
        expect(evaluateCallFilter(parse(g), { number, service: 'sip' }).allowed).toBe(true);
      }),
    );
  });

  it('a leading pass decides before anything else runs', () => {
    fc.assert(
      fc.property(filterArb, fc.boolean(), fc.stringMatching(/^[0-9]{0,8}$/), (f, pass, number) => {
        const g = [{ operator: 'match', key: '', pass }, ...f];
        expect(evaluateCallFilter(parse(g), { number, service: 'ivr' })).toEqual({ allowed: pass, number });
      }),
    );
  });

  it('reverse flips a single match', () => {
    fc.assert(
      fc.property(pattern, fc.stringMatching(/^[0-9]{0,8}$/), (key, number) => {
        const plain = run([{ operator: 'match', key, pass: false }], number).allowed;
        const reversed = run([{ operator: 'match', key, reverse: true, pass: false }], number).allowed;
        expect(reversed).toBe(!plain);
      }),
    );
  });
});
