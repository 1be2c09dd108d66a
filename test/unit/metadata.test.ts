import { describe, expect, it } from 'vitest';
import {
  checkChanges,
  isMetadataKey,
  JSON_MAX_DEPTH,
  METADATA_VALUE_MAX_BYTES,
  parseSelection,
  selects,
  serializedSize,
  unstorableJsonReason,
} from '../../src/domain/metadata.js';

const fails = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as { status: string }).status;
  }
  return 'no error';
};

describe('metadata keys (spec 3.5 / 3.12 key regex)', () => {
  it('accepts reverse-domain keys of 2 to 11 labels', () => {
    for (const k of ['org.mydomain.phone', 'com.otherdomain.client.nice', 'ab.cd', `a1.${'x'.repeat(50)}`]) {
      expect(isMetadataKey(k)).toBe(true);
    }
    expect(isMetadataKey(Array.from({ length: 11 }, () => 'ab').join('.'))).toBe(true);
  });

  it('refuses single labels, short or long labels, too many labels and other characters', () => {
    for (const k of [
      'com',
      'a.bc',
      'com.b',
      `com.${'x'.repeat(51)}`,
      Array.from({ length: 12 }, () => 'ab').join('.'),
      'Com.example',
      'com.exa-mple',
      'com..example',
      'com.example.',
      '.com.example',
      'com.example\n',
    ]) {
      expect(isMetadataKey(k), k).toBe(false);
    }
  });
});

describe('parseSelection / selects', () => {
  it('selects everything without parameters', () => {
    const sel = parseSelection({});
    expect(sel).toEqual({});
    expect(selects(sel, 'org.mydomain.room')).toBe(true);
  });

  it('selects only the listed keys', () => {
    const sel = parseSelection({ keys: 'org.mydomain.room,org.mydomain.phone,org.mydomain.room' });
    expect(sel.keys).toEqual(['org.mydomain.room', 'org.mydomain.phone']);
    expect(selects(sel, 'org.mydomain.room')).toBe(true);
    expect(selects(sel, 'org.mydomain.floor')).toBe(false);
  });

  it('selects keys under a domain but not the domain key itself (spec example)', () => {
    const sel = parseSelection({ domain: 'com.mycompany' });
    expect(selects(sel, 'com.mycompany.application1.element1')).toBe(true);
    expect(selects(sel, 'com.mycompany.entity2')).toBe(true);
    expect(selects(sel, 'com.mycompany')).toBe(false);
    expect(selects(sel, 'com.mycompanyx.entity2')).toBe(false);
    expect(selects(parseSelection({ domain: 'com' }), 'com.mycompany')).toBe(true);
  });

  it('combines keys and domain: a key must satisfy both', () => {
    const sel = parseSelection({ keys: 'com.a1.b1,org.a1.b1', domain: 'com' });
    expect(selects(sel, 'com.a1.b1')).toBe(true);
    expect(selects(sel, 'org.a1.b1')).toBe(false);
    expect(selects(sel, 'com.a1.b2')).toBe(false);
  });

  it('refuses malformed keys and domains with wrong-syntax', () => {
    expect(fails(() => parseSelection({ keys: '' }))).toBe('wrong-syntax');
    expect(fails(() => parseSelection({ keys: 'com.ok,bad' }))).toBe('wrong-syntax');
    expect(fails(() => parseSelection({ keys: 'com.ok,' }))).toBe('wrong-syntax');
    expect(fails(() => parseSelection({ domain: 'com.' }))).toBe('wrong-syntax');
    expect(fails(() => parseSelection({ domain: 'c' }))).toBe('wrong-syntax');
    expect(fails(() => parseSelection({ domain: 'com.%' }))).toBe('wrong-syntax');
  });
});

describe('checkChanges', () => {
  it('passes the spec example through', () => {
    const body = {
      update: { 'com.otherdomain.client.nice': true, 'com.otherdomain.client.timestamp': 1324899645 },
      delete: ['com.otherdomain.client.something'],
    };
    expect(checkChanges(body)).toEqual(body);
  });

  it('defaults to no changes and removes duplicate deletes', () => {
    expect(checkChanges({})).toEqual({ update: {}, delete: [] });
    expect(checkChanges({ delete: ['com.a1.b1', 'com.a1.b1'] }).delete).toEqual(['com.a1.b1']);
  });

  it('keeps null as a value to store', () => {
    expect(checkChanges({ update: { 'com.a1.nice': null } }).update).toEqual({ 'com.a1.nice': null });
  });

  it('refuses bad keys and keys both updated and deleted', () => {
    expect(fails(() => checkChanges({ update: { bad: 1 } }))).toBe('wrong-syntax');
    expect(fails(() => checkChanges({ delete: ['Bad.key'] }))).toBe('wrong-syntax');
    expect(fails(() => checkChanges({ update: { 'com.a1.b1': 1 }, delete: ['com.a1.b1'] }))).toBe(
      'wrong-syntax',
    );
  });

  it('measures values as UTF-8 JSON: 100 KB pass, one byte more is too-large', () => {
    // A JSON string of n ASCII characters serializes to n + 2 bytes (the quotes).
    const limit = 'x'.repeat(METADATA_VALUE_MAX_BYTES - 2);
    expect(serializedSize(limit)).toBe(METADATA_VALUE_MAX_BYTES);
    expect(checkChanges({ update: { 'com.a1.b1': limit } }).update['com.a1.b1']).toBe(limit);
    expect(fails(() => checkChanges({ update: { 'com.a1.b1': `${limit}x` } }))).toBe('too-large');
    // 'ä' is two bytes in UTF-8.
    const umlauts = 'ä'.repeat(METADATA_VALUE_MAX_BYTES / 2);
    expect(fails(() => checkChanges({ update: { 'com.a1.b1': umlauts } }))).toBe('too-large');
    expect(serializedSize(null)).toBe(4);
  });

  it('refuses values that valid JSON allows but jsonb cannot store', () => {
    expect(fails(() => checkChanges({ update: { 'com.a1.b1': 'a\u0000b' } }))).toBe('wrong-syntax');
    expect(fails(() => checkChanges({ update: { 'com.a1.b1': { 'k\u0000': 1 } } }))).toBe('wrong-syntax');
    expect(fails(() => checkChanges({ update: { 'com.a1.b1': ['\ud800'] } }))).toBe('wrong-syntax');
  });
});

describe('unstorableJsonReason', () => {
  it('accepts ordinary values, paired surrogates and a literal backslash-u text', () => {
    for (const v of [null, 1, true, 'text', '😀', '\\u0000', [1, { a: [null] }], { nested: { deep: 'x' } }]) {
      expect(unstorableJsonReason(v)).toBeNull();
    }
  });

  it('flags U+0000, lone surrogates and nesting beyond the limit without recursion', () => {
    expect(unstorableJsonReason('\u0000')).toMatch(/U\+0000/);
    expect(unstorableJsonReason('x\udc00')).toMatch(/surrogate/);
    let deep: unknown = 1;
    for (let i = 0; i < JSON_MAX_DEPTH; i++) deep = [deep];
    expect(unstorableJsonReason(deep)).toBeNull();
    expect(unstorableJsonReason([deep])).toMatch(/nested/);
    let veryDeep: unknown = 1;
    for (let i = 0; i < 200_000; i++) veryDeep = { a: veryDeep };
    expect(unstorableJsonReason(veryDeep)).toMatch(/nested/);
  });
});
