import type { CallFilterCompiler } from '../domain/policy/call-filter.js';
import { userPatterns } from './patterns.js';

/**
 * RE2 for call filters (spec 9.1.3): partners' regexes run on re2js (linear
 * time) after the cost check, from the shared cache of lib/patterns.ts,
 * with a literal replace-all for the `replace` operator. Checks each pattern
 * on its own; CallFilterService also bounds a whole filter's sum.
 */
export const re2CallFilterCompiler: CallFilterCompiler = (pattern) => userPatterns.compile(pattern);
