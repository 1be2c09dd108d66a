import { describe, expect, it } from 'vitest';
import { buildCdr, cdrTimes, CdrError, type CdrFacts } from '../../src/domain/cdr/cdr.js';
import { parseCdrQuery } from '../../src/domain/cdr/cdr-query.js';
import { PagingError } from '../../src/domain/paging.js';
import { uuidV1Micros } from '../../src/domain/uuid-time.js';
import { newCdrId } from '../../src/services/cdr-service.js';

const T0 = 1406109196726;

describe('cdrTimes: whole seconds before and after answer', () => {
  it.each([
    // start offset 0; [answer offset | null, end offset] -> [t_pre, t_post]
    [4000, 111000, 4, 107, 'the spec example (4 s ringing, 107 s talk)'],
    [null, 7400, 7, 0, 'never answered: everything is t_pre'],
    [null, 7500, 8, 0, 'half a second rounds up'],
    [null, 0, 0, 0, 'rejected at once'],
    [4499, 10000, 4, 6, 'rounds the answer boundary, t_pre + t_post = round(total)'],
    [4500, 10000, 5, 5, 'half up at the answer boundary'],
    [1400, 2800, 1, 2, 'parts add up to the rounded total (3 s), not 1 + 1'],
    [3000, 3000, 3, 1, 'answered and hung up at once: still 1 s talk time'],
    [3000, 3400, 3, 1, 'under half a second of talk: 1 s'],
    [0, 59_600, 0, 60, 'answered immediately'],
  ])('answer %s, end %i -> t_pre %i, t_post %i (%s)', (answer, end, t_pre, t_post, _why) => {
    expect(cdrTimes(T0, answer === null ? null : T0 + answer, T0 + end)).toEqual({ t_pre, t_post });
  });

  it.each([
    [T0, null, T0 - 1, 'end before start'],
    [T0, T0 - 1, T0 + 5000, 'answer before start'],
    [T0, T0 + 6000, T0 + 5000, 'answer after end'],
    [-1, null, T0, 'negative start'],
    [1.5, null, T0, 'fractional ms'],
    [Number.NaN, null, T0, 'not a number'],
  ])('rejects start %s answer %s end %s (%s)', (start, answer, end, _why) => {
    expect(() => cdrTimes(start, answer, end)).toThrow(CdrError);
  });
});

const ID = '2b5e1560-124f-11e4-b449-f8a96351ccd6';
const PARENT = '97ef2ea0-41cb-11e6-bc0b-f8a96351cc93';
const ROOT = '11ef2ea0-41cb-11e6-bc0b-f8a96351cc93';

const facts = (over: Partial<CdrFacts> = {}): CdrFacts => ({
  phone: '+492216698712',
  service: 'call',
  startMs: T0,
  answerMs: T0 + 4000,
  endMs: T0 + 111000,
  q850: 16,
  b_number: '+492216698711',
  ...over,
});

describe('buildCdr: the spec 9.1.4 wire shape', () => {
  it('builds the spec event example, fields in wire order, no absent field present', () => {
    const { cdr, q850 } = buildCdr(ID, facts());
    expect(cdr).toEqual({
      phone: '+492216698712',
      id: ID,
      date: T0,
      service: 'call',
      b_number: '+492216698711',
      t_pre: 4,
      t_post: 107,
    });
    expect(Object.keys(cdr)).toEqual(['phone', 'id', 'date', 'service', 'b_number', 't_pre', 't_post']);
    expect(JSON.stringify(cdr)).not.toContain('null');
    expect(q850).toBe(16);
  });

  it('keeps the service-specific fields: fax with page_count, conference, mailbox recording', () => {
    const fax = '0d7e1a40-41cb-11e6-bc0b-f8a96351cc93';
    expect(buildCdr(ID, facts({ service: 'fax', fax_id: fax, page_count: 3 })).cdr).toMatchObject({
      service: 'fax',
      fax_id: fax,
      page_count: 3,
    });
    expect(
      buildCdr(ID, facts({ service: 'conference', conference_id: fax.toUpperCase() })).cdr.conference_id,
    ).toBe(fax);
    expect(buildCdr(ID, facts({ recording_id: fax })).cdr.recording_id).toBe(fax);
    expect(buildCdr(ID, facts({ service: 'fax', page_count: 0 })).cdr.page_count).toBe(0);
  });

  it('takes the parent as root of a child of the root, keeps an explicit root deeper down', () => {
    const child = buildCdr(ID, facts({ parent: PARENT })).cdr;
    expect([child.parent, child.root]).toEqual([PARENT, PARENT]);
    const grandchild = buildCdr(ID, facts({ parent: PARENT, root: ROOT })).cdr;
    expect([grandchild.parent, grandchild.root]).toEqual([PARENT, ROOT]);
    const root = buildCdr(ID, facts()).cdr;
    expect('parent' in root || 'root' in root).toBe(false);
  });

  it('accepts every spec service and an incoming leg with a SIP account as a_number', () => {
    for (const service of [
      'call',
      'conference',
      'fax',
      'blf_pickup',
      'call_through',
      'call_reverse',
      'call_back',
    ] as const)
      expect(buildCdr(ID, facts({ service })).cdr.service).toBe(service);
    const incoming = buildCdr(ID, facts({ b_number: undefined, a_number: 'csc_00' })).cdr;
    expect(incoming.a_number).toBe('csc_00');
    expect('b_number' in incoming).toBe(false);
  });

  it.each([
    ['an id that is not a v1 UUID', '2b5e1560-124f-41e4-b449-f8a96351ccd6', {}],
    ['an unknown service', ID, { service: 'mailbox' as never }],
    ['both a_number and b_number', ID, { a_number: '+4930123' }],
    ['an empty phone', ID, { phone: '' }],
    ['a root without parent', ID, { root: ROOT }],
    ['its own parent', ID, { parent: ID }],
    ['its own root', ID, { parent: PARENT, root: ID.toUpperCase() }],
    ['a parent that is no UUID', ID, { parent: 'abc' }],
    ['a page_count on a call', ID, { page_count: 2 }],
    ['a negative page_count', ID, { service: 'fax' as const, page_count: -1 }],
    ['a cause above 127', ID, { q850: 128 }],
    ['an end before the start', ID, { endMs: T0 - 1, answerMs: null }],
  ])('rejects %s', (_what, id, over) => {
    expect(() => buildCdr(id, facts(over))).toThrow(CdrError);
  });
});

describe('newCdrId: ids that carry their CDR date', () => {
  it('makes distinct v1 UUIDs whose time is the date', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newCdrId(T0)));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(Math.floor(uuidV1Micros(id)! / 1000)).toBe(T0);
  });
});

describe('parseCdrQuery (spec 9.1.4 query parameters)', () => {
  it('defaults to asc, 10', () => {
    expect(parseCdrQuery({})).toEqual({ order: 'asc', count: 10 });
  });

  it('turns from/to seconds into an inclusive ms range', () => {
    expect(parseCdrQuery({ from: '100', to: '100', count: '5000', order: 'desc' })).toEqual({
      order: 'desc',
      count: 5000,
      fromMs: 100_000,
      toMs: 100_999,
    });
  });

  it('lets start override from (asc) or to (desc)', () => {
    expect(parseCdrQuery({ from: '1', to: '9', start: ID.toUpperCase() })).toEqual({
      order: 'asc',
      count: 10,
      toMs: 9999,
      start: ID,
    });
    expect(parseCdrQuery({ from: '1', to: '9', start: ID, order: 'desc' })).toEqual({
      order: 'desc',
      count: 10,
      fromMs: 1000,
      start: ID,
    });
  });

  it.each([
    [{ count: '0' }],
    [{ count: '5001' }],
    [{ count: '10000' }],
    [{ count: '-1' }],
    [{ count: 'ten' }],
    [{ from: '10', to: '9' }],
    [{ from: '1.5' }],
    [{ order: 'up' }],
    [{ start: 'not-a-uuid' }],
  ])('rejects %j', (raw) => {
    expect(() => parseCdrQuery(raw)).toThrow(PagingError);
  });
});
