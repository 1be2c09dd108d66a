import { describe, expect, it } from 'vitest';
import { parsePage } from '../../src/domain/paging.js';
import { uuidV1Micros } from '../../src/domain/uuid-time.js';
import { newId } from '../../src/lib/ids.js';

describe('parsePage', () => {
  it('applies defaults', () => {
    expect(parsePage({}, 10)).toEqual({ order: 'asc', count: 10 });
  });
  it('converts from/to seconds to inclusive microsecond bounds', () => {
    expect(parsePage({ from: '10', to: '20', order: 'desc', count: '500' }, 50)).toEqual({
      order: 'desc',
      count: 500,
      fromUs: 10_000_000,
      toUs: 20_999_999,
    });
  });
  it('refuses bad values', () => {
    for (const raw of [
      { count: '0' },
      { count: '501' },
      { count: 'x' },
      { order: 'up' },
      { from: '5', to: '4' },
    ]) {
      expect(() => parsePage(raw, 10)).toThrow();
    }
    expect(() => parsePage({ start: '6ba7b810-9dad-41d1-80b4-00c04fd430c8' }, 10)).toThrow(/time-based/);
  });
  it('lets start override from (asc) and to (desc)', () => {
    const id = newId();
    const asc = parsePage({ start: id, from: '1', to: '99999999999' }, 10);
    expect(asc.fromUs).toBeUndefined();
    expect(asc.toUs).toBeDefined();
    const desc = parsePage({ start: id, from: '1', to: '99999999999', order: 'desc' }, 10);
    expect(desc.toUs).toBeUndefined();
    expect(desc.fromUs).toBe(1_000_000);
  });
});

describe('uuidV1Micros', () => {
  it('reads the timestamp of a v1 UUID', () => {
    const before = Date.now();
    const us = uuidV1Micros(newId())!;
    expect(Math.abs(us / 1000 - before)).toBeLessThan(1000);
    // RFC 4122 example-style fixed value: 1de7257a-4f34-11e0-ab6e-0024e8f90cc0 is from March 2011
    expect(new Date(uuidV1Micros('1de7257a-4f34-11e0-ab6e-0024e8f90cc0')! / 1000).getUTCFullYear()).toBe(
      2011,
    );
  });
});
