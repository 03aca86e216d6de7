import { codecInstance, copyInto, outOfMemory, SORT_RESERVE_PER_BYTE } from './codec-wasm-instance';
import type { Matcher } from './match';
import { sortInParts, type PartsOptions } from './parallel-suffix-sort';

/**
 * The `suffix-array` matcher (issue 3) as a Matcher: the old image's
 * suffixes sorted by SA-IS and a binary search over them for the suffix
 * sharing the longest prefix with the new image at a position — the longest
 * match there is, capped at MATCH_PROBE_LIMIT_BYTES. Both run in the codec's
 * WebAssembly (assembly/scan.ts), where a diff uses them without leaving it
 * (delta-scan.ts). This form answers one search at a time through the
 * Matcher interface, as the hash index does: tests check every answer
 * against an exhaustive search, and that the scan makes the same script with
 * its own searches as with these. A large old image is sorted in two parts
 * as the diff sorts it (parallel-suffix-sort.ts), and searched in both.
 */
export function createSuffixArrayMatcher(old: Uint8Array, options: PartsOptions = {}): Matcher {
  const wasm = codecInstance(5 * old.length + (1 << 20), SORT_RESERVE_PER_BYTE * old.length + (64 << 20));
  const at = copyInto(wasm, old);
  const sorted = sortInParts(wasm, at, old.length, options);
  if (!wasm.indexParts(at, old.length, sorted.sa1, sorted.size1, sorted.sa2, sorted.offset2, sorted.size2)) {
    throw outOfMemory(`the match index of a ${old.length}-byte image`);
  }
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
      out.len = wasm.findLongestMatch(searchedAt, next.length, newPos);
      out.pos = wasm.foundPos();
    },
  };
}
