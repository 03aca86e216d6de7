import { codecInstance, outOfMemory, SORT_RESERVE_PER_BYTE, sortInto } from './codec-wasm-instance';
import type { Matcher } from './match';

/**
 * The `suffix-array` matcher (issue 3) as a Matcher: the old image's
 * suffixes sorted by SA-IS and a binary search over them for the suffix
 * sharing the longest prefix with the new image at a position — the longest
 * match there is, capped at MATCH_PROBE_LIMIT_BYTES. Both run in the codec's
 * WebAssembly (assembly/scan.ts), which a diff runs whole
 * (suffix-array-scan.ts); this form answers one search at a time, for
 * callers that drive the scan themselves and for tests.
 */
export function createSuffixArrayMatcher(old: Uint8Array): Matcher {
  const wasm = codecInstance(5 * old.length + (1 << 20), SORT_RESERVE_PER_BYTE * old.length + (64 << 20));
  const { at, sa } = sortInto(wasm, old);
  const first = wasm.allocate(65536 * 4);
  const last = first && wasm.allocate(65536 * 4);
  if (!last) throw outOfMemory(`the match index of a ${old.length}-byte image`);
  wasm.buildPrefixIndex(at, old.length, first, last);
  // The searched image is copied in once, at its first search; a search in another image copies that one.
  let searched: Uint8Array | undefined;
  let searchedAt = 0;
  return {
    name: 'suffix-array',
    find: (next, newPos, out) => {
      if (next !== searched) {
        searchedAt = wasm.allocate(next.length);
        if (!searchedAt && next.length > 0) throw outOfMemory(`a search in a ${next.length}-byte image`);
        new Uint8Array(wasm.memory.buffer, searchedAt, next.length).set(next);
        searched = next;
      }
      out.len = wasm.findLongestMatch(sa, at, old.length, first, last, searchedAt, next.length, newPos);
      out.pos = wasm.foundPos();
    },
  };
}
