import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/domain/policy/errors.js';
import {
  NO_ZONE_MATCH,
  parseZoneFilter,
  rate,
  tickPlan,
  type ZoneFilterEntry,
  type ZoneRate,
} from '../../src/domain/policy/zone-filter.js';

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof PolicyError) return err.code;
    throw err;
  }
  return 'ok';
};

/** Spec 9.1.6 POST .../zonefilter example, joined across its page break. */
const SPEC_EXAMPLE = [
  { description: 'national', prefix: ['+49'], cost: 139 },
  { description: 'euro1', prefix: ['+32', '+39', '+44'], cost: 189 },
  { description: 'rest', prefix: [''], cost: 599 },
];

describe('zone filter rating', () => {
  const zf = parseZoneFilter(SPEC_EXAMPLE);

  it.each<[string, number, string | null]>([
    ['+492216698712', 139, 'national'],
    ['+49', 139, 'national'],
    ['+3225551234', 189, 'euro1'],
    ['+390612345', 189, 'euro1'],
    ['+442071234567', 189, 'euro1'],
    ['+12125551234', 599, 'rest'],
    ['+4', 599, 'rest'],
    ['', 599, 'rest'],
    ['0221', 599, 'rest'],
  ])('%s costs %i (%s)', (destination, cost, description) => {
    expect(rate(zf, destination)).toMatchObject({ cost, description, connectFee: 0, increment: 60 });
  });

  it('returns the entries as posted', () => {
    expect(zf.entries).toEqual(SPEC_EXAMPLE);
  });

  it('takes the longest matching prefix whatever the order', () => {
    const a = parseZoneFilter([
      { prefix: ['+49'], cost: 1 },
      { prefix: ['+4915', '+4917'], cost: 9 },
    ]);
    const b = parseZoneFilter([
      { prefix: ['+4915', '+4917'], cost: 9 },
      { prefix: ['+49'], cost: 1 },
    ]);
    for (const zf2 of [a, b]) {
      expect(rate(zf2, '+4915112345').cost).toBe(9);
      expect(rate(zf2, '+4916112345').cost).toBe(1);
      expect(rate(zf2, '+491').cost).toBe(1);
    }
  });

  it('costs 0 when nothing matches and there is no catch-all', () => {
    const zf2 = parseZoneFilter([{ prefix: ['+49'], cost: 139 }]);
    expect(rate(zf2, '+4312345')).toBe(NO_ZONE_MATCH);
    expect(rate(zf2, '+4312345')).toMatchObject({ cost: 0, description: null, prefix: null });
  });

  it('keeps the earlier entry for a repeated prefix', () => {
    const zf2 = parseZoneFilter([
      { description: 'a', prefix: ['+49'], cost: 1 },
      { description: 'b', prefix: ['+49', '+43'], cost: 2 },
    ]);
    expect(rate(zf2, '+491').description).toBe('a');
    expect(rate(zf2, '+431').description).toBe('b');
  });

  it('stops at a character no prefix can contain', () => {
    const zf2 = parseZoneFilter([
      { prefix: ['+49'], cost: 1 },
      { prefix: ['+491'], cost: 2 },
    ]);
    expect(rate(zf2, '+49x1').cost).toBe(1);
    expect(rate(zf2, '+49\u00e41').cost).toBe(1);
  });

  it('carries the extension fields', () => {
    const zf2 = parseZoneFilter([{ prefix: ['+1'], cost: 30, connect_fee: 5, increment: 6 }]);
    expect(rate(zf2, '+1212')).toMatchObject({ cost: 30, connectFee: 5, increment: 6, prefix: '+1' });
  });

  it('agrees with a linear scan (longest prefix, then earliest entry)', () => {
    const prefixArb = fc.stringMatching(/^\+?[0-9]{0,4}$/);
    const entryArb = fc.record({
      prefix: fc.array(prefixArb, { minLength: 1, maxLength: 4 }),
      cost: fc.nat(1000),
    });
    fc.assert(
      fc.property(
        fc.array(entryArb, { minLength: 1, maxLength: 30 }),
        fc.stringMatching(/^\+?[0-9]{0,8}$/),
        (entries, dest) => {
          let best: { len: number; cost: number } | null = null;
          for (const e of entries)
            for (const p of e.prefix)
              if (dest.startsWith(p) && (best === null || p.length > best.len))
                best = { len: p.length, cost: e.cost };
          expect(rate(parseZoneFilter(entries), dest).cost).toBe(best?.cost ?? 0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('zone filter validation', () => {
  const entry = { prefix: ['+49'], cost: 1 };
  it.each<[string, string, unknown]>([
    ['the spec example', 'ok', SPEC_EXAMPLE],
    ['250 entries', 'ok', Array.from({ length: 250 }, () => entry)],
    ['251 entries', 'too-large', Array.from({ length: 251 }, () => entry)],
    ['empty', 'empty-filter', []],
    ['missing', 'missing-element', undefined],
    ['an object', 'wrong-syntax', { prefix: ['+49'], cost: 1 }],
    ['an entry not an object', 'wrong-syntax', ['+49']],
    ['no prefix', 'missing-element', [{ cost: 1 }]],
    ['no cost', 'missing-element', [{ prefix: ['+49'] }]],
    ['prefix a string', 'wrong-syntax', [{ prefix: '+49', cost: 1 }]],
    ['prefix empty array', 'wrong-syntax', [{ prefix: [], cost: 1 }]],
    ['prefix with letters', 'wrong-syntax', [{ prefix: ['+49a'], cost: 1 }]],
    ['prefix with inner +', 'wrong-syntax', [{ prefix: ['49+'], cost: 1 }]],
    ['prefix not a string', 'wrong-syntax', [{ prefix: [49], cost: 1 }]],
    ['prefix too long', 'wrong-syntax', [{ prefix: ['1'.repeat(33)], cost: 1 }]],
    ['too many prefixes', 'too-large', [{ prefix: Array.from({ length: 1001 }, () => '1'), cost: 1 }]],
    ['cost negative', 'wrong-syntax', [{ prefix: ['+49'], cost: -1 }]],
    ['cost fractional', 'wrong-syntax', [{ prefix: ['+49'], cost: 1.5 }]],
    ['cost a string', 'wrong-syntax', [{ prefix: ['+49'], cost: '139' }]],
    ['cost too large', 'wrong-syntax', [{ prefix: ['+49'], cost: 1e10 }]],
    ['cost 0', 'ok', [{ prefix: ['+49'], cost: 0 }]],
    ['description not a string', 'wrong-syntax', [{ description: 1, prefix: ['+49'], cost: 1 }]],
    ['description 201 chars', 'wrong-syntax', [{ description: 'x'.repeat(201), prefix: ['+49'], cost: 1 }]],
    ['connect_fee negative', 'wrong-syntax', [{ prefix: ['+49'], cost: 1, connect_fee: -1 }]],
    ['increment 0', 'wrong-syntax', [{ prefix: ['+49'], cost: 1, increment: 0 }]],
    ['increment 3601', 'wrong-syntax', [{ prefix: ['+49'], cost: 1, increment: 3601 }]],
    ['extension fields', 'ok', [{ prefix: ['+49'], cost: 1, connect_fee: 0, increment: 1 }]],
    ['unknown field', 'wrong-syntax', [{ prefix: ['+49'], cost: 1, currency: 'EUR' }]],
  ])('%s -> %s', (_name, code, input) => {
    expect(codeOf(() => parseZoneFilter(input))).toBe(code);
  });

  it('never throws anything but PolicyError, whatever the JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => void codeOf(() => parseZoneFilter(v))),
      {
        numRuns: 2000,
      },
    );
  });
});

const rateOf = (cost: number, extra: Partial<ZoneFilterEntry> = {}): ZoneRate => {
  const zf = parseZoneFilter([{ prefix: [''], cost, ...extra }]);
  return rate(zf, '1');
};

describe('credit ticks', () => {
  it('spec model: cost at answer and every 60 s', () => {
    const plan = tickPlan(rateOf(139));
    expect(plan.intervalSeconds).toBe(60);
    expect(plan.free).toBe(false);
    expect([0, 1, 2, 100].map((n) => plan.amount(n))).toEqual([139, 139, 139, 139]);
  });

  it.each<[string, number, Partial<ZoneFilterEntry>, number, number, number]>([
    // name, cost, extension, connected seconds, ticks, total
    ['answered and hung up at once', 139, {}, 0, 1, 139],
    ['59 s', 139, {}, 59, 1, 139],
    ['exactly 60 s', 139, {}, 60, 1, 139],
    ['61 s starts the second minute', 139, {}, 61, 2, 278],
    ['120 s', 139, {}, 120, 2, 278],
    ['121 s', 139, {}, 121, 3, 417],
    ['free zone', 0, {}, 3600, 60, 0],
    ['per-second billing, 30 s', 139, { increment: 1 }, 30, 30, 70],
    ['per-second billing, 60 s = one minute', 139, { increment: 1 }, 60, 60, 139],
    ['6 s increments', 100, { increment: 6 }, 7, 2, 20],
    ['connect fee once', 139, { connect_fee: 10 }, 61, 2, 288],
    ['connect fee on a free zone', 0, { connect_fee: 25 }, 600, 10, 25],
  ])('%s', (_name, cost, extra, seconds, ticks, total) => {
    const plan = tickPlan(rateOf(cost, extra));
    expect(plan.ticksFor(seconds)).toBe(ticks);
    expect(plan.totalFor(seconds)).toBe(total);
    let sum = 0;
    for (let n = 0; n < ticks; n++) sum += plan.amount(n);
    expect(sum).toBe(total);
  });

  it('connect fee is due at answer', () => {
    const plan = tickPlan(rateOf(139, { connect_fee: 10 }));
    expect([plan.amount(0), plan.amount(1)]).toEqual([149, 139]);
  });

  it('no match is free and needs no timer', () => {
    expect(tickPlan(NO_ZONE_MATCH).free).toBe(true);
    expect(tickPlan(rateOf(0, { connect_fee: 1 })).free).toBe(false);
  });

  it('running totals are ceil(cost x elapsed / 60) plus the fee, for any rate', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.nat(1000),
        fc.integer({ min: 1, max: 3600 }),
        fc.integer({ min: 1, max: 500 }),
        (cost, fee, increment, ticks) => {
          const plan = tickPlan(rateOf(cost, { connect_fee: fee, increment }));
          let sum = 0;
          for (let n = 0; n < ticks; n++) {
            const a = plan.amount(n);
            expect(Number.isSafeInteger(a) && a >= 0).toBe(true);
            sum += a;
          }
          expect(sum).toBe(fee + Math.ceil((cost * increment * ticks) / 60));
          expect(plan.totalFor(ticks * increment)).toBe(sum);
        },
      ),
    );
  });

  it('without the extension fields every tick is exactly the cost', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000_000), fc.nat(100_000), (cost, n) => {
        expect(tickPlan(rateOf(cost)).amount(n)).toBe(cost);
      }),
    );
  });
});
