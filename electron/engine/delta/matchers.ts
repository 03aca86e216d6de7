import { E, ZucError } from '../../shared/errors';
import { createHashMatcher } from './hash-match';
import { isMatcherName, MATCHER_NAMES, type Matcher, type MatcherName } from './match';
import { createSuffixArrayMatcher } from './suffix-array-match';

/** Indexes the old image for the named matcher; the name comes from callers outside TypeScript too (CLI, IPC), so it is checked. */
export function createMatcher(name: MatcherName, old: Uint8Array): Matcher {
  if (!isMatcherName(name)) throw new ZucError(E.BAD_ARGUMENTS, `unknown delta matcher '${String(name)}' (one of ${MATCHER_NAMES.join(', ')})`);
  return name === 'hash' ? createHashMatcher(old) : createSuffixArrayMatcher(old);
}
