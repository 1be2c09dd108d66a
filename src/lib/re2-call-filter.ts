import { RE2JS } from 're2js';
import type { CallFilterCompiler } from '../domain/policy/call-filter.js';

/**
 * RE2 for call filters (spec 9.1.3): partners' regexes run on RE2JS, which
 * matches in linear time, so no pattern can stall call setup. Same engine as
 * the session event filters (events/filters.ts `re2Compiler`), extended with a
 * literal replace-all for the `replace` operator. Throws on invalid patterns.
 */
export const re2CallFilterCompiler: CallFilterCompiler = (pattern) => {
  const re = RE2JS.compile(pattern);
  return {
    // test() is a partial match like Matcher.find(), without the Matcher (about 2.5x faster).
    test: (text) => re.test(text),
    // A replacer function inserts the value verbatim ("$1" stays "$1").
    replaceAll: (text, value) => (re.test(text) ? re.matcher(text).replaceAll(() => value) : text),
  };
};
