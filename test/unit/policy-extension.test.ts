import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/domain/policy/errors.js';
import {
  applyExtensionUpdate,
  parseExtensionUpdate,
  parseUsergroupPrefix,
  resolveExtension,
  type ExtensionGroup,
  type ExtensionScope,
} from '../../src/domain/policy/extension.js';

const U = (n: number): string => `00000000-0000-1000-8000-${String(n).padStart(12, '0')}`;

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof PolicyError) return err.code;
    throw err;
  }
  return 'ok';
};

// Accounting (prefix 7) and Controlling (prefix 8) in one enterprise, Sales without a prefix.
const accounting: ExtensionGroup = {
  uuid: 'g-acc',
  prefix: 7,
  extensions: { '10': U(1), '20': U(2), '712': U(3) },
};
const controlling: ExtensionGroup = {
  uuid: 'g-ctl',
  prefix: 8,
  extensions: new Map([
    ['10', U(11)],
    ['30', U(12)],
  ]),
};
const sales: ExtensionGroup = { uuid: 'g-sal', prefix: null, extensions: { '40': U(21), '30': U(22) } };
const lonely: ExtensionGroup = { uuid: 'g-solo', prefix: 5, extensions: { '10': U(31) } };

const inEnterprise = (group: ExtensionGroup, groupPrefixEnable: boolean): ExtensionScope => ({
  group,
  enterprise: { groupPrefixEnable, groups: [accounting, controlling, sales] },
});

describe('extension resolution', () => {
  it.each<[string, ExtensionScope, string, string | null]>([
    ['own group, no enterprise', { group: lonely }, '10', U(31)],
    ['unknown extension', { group: lonely }, '11', null],
    ['not an extension', { group: lonely }, '+4910', null],
    ['six digits', { group: lonely }, '100000', null],
    ['own group first (prefix on)', inEnterprise(accounting, true), '10', U(1)],
    ['own 712 before group 7 ext 12 (prefix on)', inEnterprise(accounting, true), '712', U(3)],
    ['own group via own prefix', inEnterprise(accounting, true), '720', U(2)],
    ['other group via its prefix', inEnterprise(accounting, true), '810', U(11)],
    ['other group without prefix is refused (prefix on)', inEnterprise(accounting, true), '30', null],
    ['prefix of no group', inEnterprise(accounting, true), '910', null],
    ['0 is no prefix', inEnterprise(accounting, true), '010', null],
    [
      'group without prefix is unreachable from others (prefix on)',
      inEnterprise(accounting, true),
      '40',
      null,
    ],
    ['prefix + five digits', inEnterprise(accounting, true), '812345', null],
    ['other group dialled directly (prefix off)', inEnterprise(accounting, false), '40', U(21)],
    ['own group wins a clash (prefix off)', inEnterprise(controlling, false), '10', U(11)],
    ['own group wins a clash, other side', inEnterprise(accounting, false), '10', U(1)],
    ['clash between two other groups is ambiguous (prefix off)', inEnterprise(accounting, false), '30', null],
    ['prefixed form is not used (prefix off)', inEnterprise(accounting, false), '810', null],
  ])('%s', (_name, scope, dialled, user) => {
    expect(resolveExtension(dialled, scope)?.userUuid ?? null).toBe(user);
  });

  it('names the target group and extension', () => {
    expect(resolveExtension('810', inEnterprise(accounting, true))).toEqual({
      userUuid: U(11),
      usergroupUuid: 'g-ctl',
      extension: '10',
    });
  });

  it('ignores inherited object keys', () => {
    expect(resolveExtension('constructor', { group: lonely })).toBeNull();
    expect(resolveExtension('10', { group: { uuid: 'x', prefix: null, extensions: {} } })).toBeNull();
  });

  it('a group always reaches all of its own extensions', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[0-9]{1,5}$/), fc.uuid()),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }),
        (extensions, groupPrefixEnable, prefix) => {
          const group = { uuid: 'g', prefix, extensions };
          for (const [ext, user] of Object.entries(extensions)) {
            const scope = { group, enterprise: { groupPrefixEnable, groups: [group, controlling] } };
            expect(resolveExtension(ext, scope)?.userUuid).toBe(user);
          }
        },
      ),
    );
  });
});

describe('extension updates', () => {
  it('parses the spec example and applies deletions before additions', () => {
    const u = parseExtensionUpdate({
      add: {
        '100': '5704a3d8-7b9e-11e4-af85-1725ff033d08',
        '200': '57054036-7b9e-11e4-af28-17b08d2664a8',
      },
      delete: ['10', '20', '100'],
    });
    expect(u.delete).toEqual(['10', '20', '100']);
    expect(applyExtensionUpdate({ '10': U(1), '30': U(3), '100': U(4) }, u)).toEqual({
      '30': U(3),
      '100': '5704a3d8-7b9e-11e4-af85-1725ff033d08',
      '200': '57054036-7b9e-11e4-af28-17b08d2664a8',
    });
  });

  it.each<[string, string, unknown]>([
    ['only add', 'ok', { add: { '1': U(1) } }],
    ['only delete', 'ok', { delete: ['1'] }],
    ['neither', 'missing-element', {}],
    ['not an object', 'wrong-syntax', []],
    ['6-digit extension', 'wrong-syntax', { add: { '123456': U(1) } }],
    ['letters', 'wrong-syntax', { add: { '1a': U(1) } }],
    ['user not a uuid', 'wrong-syntax', { add: { '1': 'bob' } }],
    ['add an array', 'wrong-syntax', { add: [U(1)] }],
    ['delete not an array', 'wrong-syntax', { delete: '10' }],
    ['delete a number', 'wrong-syntax', { delete: [10] }],
  ])('%s -> %s', (_name, code, body) => {
    expect(codeOf(() => parseExtensionUpdate(body))).toBe(code);
  });
});

describe('usergroup prefix', () => {
  it.each<[unknown, number | null | string]>([
    [7, 7],
    ['7', 7],
    [0, null],
    [9, 9],
    [10, 'wrong-syntax'],
    [-1, 'wrong-syntax'],
    [1.5, 'wrong-syntax'],
    ['07', 'wrong-syntax'],
    [null, 'wrong-syntax'],
  ])('%s -> %s', (input, expected) => {
    if (typeof expected === 'string') expect(codeOf(() => parseUsergroupPrefix(input))).toBe(expected);
    else expect(parseUsergroupPrefix(input)).toBe(expected);
  });
});
