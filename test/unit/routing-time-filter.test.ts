import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileTimeFilter,
  parseDay,
  parseMinute,
  timeFilterMatches,
} from '../../src/domain/routing/time-filter.js';
import type { TimeFilter } from '../../src/domain/routing/types.js';
import { at, nowArb, timeFilterArb } from './routing-fixtures.js';

const matches = (f: TimeFilter, iso: string): boolean => timeFilterMatches(compileTimeFilter(f), at(iso));

// 2015-06-11 was a Thursday, 2015-06-12 a Friday, 2015-06-13 a Saturday.
const TABLE: [string, TimeFilter, string, boolean][] = [
  ['window start inclusive', { time_start: '07:30', time_end: '13:00' }, '2015-06-11T07:30', true],
  ['before window', { time_start: '07:30', time_end: '13:00' }, '2015-06-11T07:29:59', false],
  ['inside window', { time_start: '07:30', time_end: '13:00' }, '2015-06-11T12:59:59', true],
  ['window end exclusive', { time_start: '07:30', time_end: '13:00' }, '2015-06-11T13:00', false],
  ['midnight: late part', { time_start: '22:00', time_end: '06:00' }, '2015-06-11T23:00', true],
  ['midnight: start', { time_start: '22:00', time_end: '06:00' }, '2015-06-11T22:00', true],
  ['midnight: early part', { time_start: '22:00', time_end: '06:00' }, '2015-06-11T03:00', true],
  ['midnight: end exclusive', { time_start: '22:00', time_end: '06:00' }, '2015-06-11T06:00', false],
  ['midnight: day gap', { time_start: '22:00', time_end: '06:00' }, '2015-06-11T21:59', false],
  ['equal times = 24 h', { time_start: '08:00', time_end: '08:00' }, '2015-06-11T07:59', true],
  ['equal times at start', { time_start: '08:00', time_end: '08:00' }, '2015-06-11T08:00', true],
  ['only time_start', { time_start: '22:00' }, '2015-06-11T22:00', true],
  ['only time_start, before', { time_start: '22:00' }, '2015-06-11T21:59', false],
  ['only time_end', { time_end: '06:00' }, '2015-06-11T05:59', true],
  ['only time_end, after', { time_end: '06:00' }, '2015-06-11T06:00', false],
  ['end 24:00', { time_start: '20:00', time_end: '24:00' }, '2015-06-11T23:59', true],
  [
    'weekday FRI after midnight belongs to FRI',
    { weekdays: ['FRI'], time_start: '22:00', time_end: '06:00' },
    '2015-06-13T03:00',
    true,
  ],
  [
    'weekday FRI late part',
    { weekdays: ['FRI'], time_start: '22:00', time_end: '06:00' },
    '2015-06-12T23:30',
    true,
  ],
  [
    'weekday FRI early part is THU window',
    { weekdays: ['FRI'], time_start: '22:00', time_end: '06:00' },
    '2015-06-12T03:00',
    false,
  ],
  [
    'weekday SAT late part not FRI',
    { weekdays: ['FRI'], time_start: '22:00', time_end: '06:00' },
    '2015-06-13T23:00',
    false,
  ],
  ['weekend on SAT', { weekdays: ['SAT', 'SUN'] }, '2015-06-13T12:00', true],
  ['weekend on THU', { weekdays: ['SAT', 'SUN'] }, '2015-06-11T12:00', false],
  ['empty weekdays match no day', { weekdays: [] }, '2015-06-11T12:00', false],
  ['date whole day start', { date: '11.06.2015' }, '2015-06-11T00:00', true],
  ['date whole day end', { date: '11.06.2015' }, '2015-06-11T23:59:59', true],
  ['date next day', { date: '11.06.2015' }, '2015-06-12T00:00', false],
  [
    'date with window',
    { date: '11.06.2015', time_start: '07:30', time_end: '13:00' },
    '2015-06-11T08:00',
    true,
  ],
  [
    'date, after window',
    { date: '11.06.2015', time_start: '07:30', time_end: '13:00' },
    '2015-06-11T14:00',
    false,
  ],
  [
    'date, night window spills over',
    { date: '11.06.2015', time_start: '22:00', time_end: '02:00' },
    '2015-06-12T01:00',
    true,
  ],
  [
    'date, night window of the day before',
    { date: '11.06.2015', time_start: '22:00', time_end: '02:00' },
    '2015-06-11T01:00',
    false,
  ],
  ['range: day before', { date_start: '10.06.2015', date_end: '12.06.2015' }, '2015-06-09T23:59', false],
  ['range: first day', { date_start: '10.06.2015', date_end: '12.06.2015' }, '2015-06-10T00:00', true],
  ['range: last day', { date_start: '10.06.2015', date_end: '12.06.2015' }, '2015-06-12T23:59', true],
  ['range: day after', { date_start: '10.06.2015', date_end: '12.06.2015' }, '2015-06-13T00:00', false],
  ['only date_start', { date_start: '10.06.2015' }, '2030-01-01T00:00', true],
  ['only date_end', { date_end: '10.06.2015' }, '2015-06-11T00:00', false],
  ['end before start', { date_start: '12.06.2015', date_end: '10.06.2015' }, '2015-06-11T00:00', false],
  ['range across new year', { date_start: '31.12.2015', date_end: '01.01.2016' }, '2016-01-01T10:00', true],
  ['leap day', { date: '29.02.2016' }, '2016-02-29T10:00', true],
  ['invalid date never matches', { date: '29.02.2015' }, '2015-03-01T10:00', false],
  ['invalid time never matches', { time_start: '25:00' }, '2015-06-11T10:00', false],
  ['invalid weekday never matches', { weekdays: ['XYZ' as 'MON'] }, '2015-06-11T10:00', false],
  [
    'epoch THU night window',
    { weekdays: ['WED'], time_start: '23:00', time_end: '01:00' },
    '1970-01-01T00:30',
    true,
  ],
  ['before the epoch (WED)', { weekdays: ['WED'] }, '1969-12-31T12:00', true],
  ['empty filter', {}, '2015-06-11T10:00', true],
];

describe('dialplan v2 time filter (spec 4.1, UTC)', () => {
  it.each(TABLE)('%s', (_name, filter, iso, expected) => {
    expect(matches(filter, iso)).toBe(expected);
  });

  it('parses dd.MM.yyyy and hh:mm strictly', () => {
    expect(parseDay('01.01.1970')).toBe(0);
    expect(parseDay('1.1.1970')).toBeNull();
    expect(parseDay('31.04.2020')).toBeNull();
    expect(parseMinute('00:00')).toBe(0);
    expect(parseMinute('23:59')).toBe(1439);
    expect(parseMinute('24:00')).toBe(1440);
    expect(parseMinute('24:01')).toBeNull();
    expect(parseMinute('12:60')).toBeNull();
    expect(parseMinute('7:30')).toBeNull();
  });

  it('a window crossing midnight matches exactly the minutes >= start or < end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 1439 }),
        nowArb,
        (s, e, now) => {
          const hm = (m: number): string =>
            `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          const f = compileTimeFilter({ time_start: hm(s), time_end: hm(e) });
          const minute = Math.floor((((now % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
          const expected = s < e ? minute >= s && minute < e : minute >= s || minute < e;
          expect(timeFilterMatches(f, now)).toBe(expected);
        },
      ),
    );
  });

  it('is total and deterministic on any valid filter and instant', () => {
    fc.assert(
      fc.property(timeFilterArb, nowArb, (t, now) => {
        const a = timeFilterMatches(compileTimeFilter(t), now);
        expect(timeFilterMatches(compileTimeFilter(t), now)).toBe(a);
      }),
    );
  });
});
