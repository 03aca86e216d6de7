import { codecInstance, copyInto, outOfMemory, SORT_RESERVE_PER_BYTE } from './codec-wasm-instance';
import { dropEmptyEntries, type DeltaScript } from './delta-script';
import type { Matcher, MatchResult } from './match';
import { sortInParts, type PartsOptions, type SortedParts } from './parallel-suffix-sort';

/**
 * The delta scan (assembly/scan.ts) in the codec's WebAssembly, against
 * either the old image's suffixes sorted there (assembly/sais.ts; a large
 * image in two parts at once, parallel-suffix-sort.ts) — the default
 * `suffix-array` matcher — or a JavaScript matcher that answers each search
 * (the `hash` index, hash-match.ts). The old image, its suffix arrays and
 * the new image are copied into one memory once. The script's diff stream is
 * a view into that memory, which lives as long as it does; its extra stream
 * is taken from the new image here.
 */
export function scanDelta(
  old: Uint8Array,
  next: Uint8Array,
  matcher: 'suffix-array' | Matcher,
  onProgress?: (fraction: number) => void,
  options: PartsOptions = {},
): DeltaScript & { sorted?: SortedParts } {
  const oldSize = old.length;
  const newSize = next.length;
  const bySuffixArray = matcher === 'suffix-array';
  onProgress?.(0);
  const control: number[] = [];
  const found: MatchResult = { pos: 0, len: 0 };
  const wasm = codecInstance((bySuffixArray ? 5 * oldSize : oldSize) + newSize + (2 << 20), SORT_RESERVE_PER_BYTE * oldSize + 2 * newSize + (64 << 20), {
    progress: (done) => onProgress?.(done / newSize),
    entry: (add, copy, seek) => void control.push(add, copy, seek),
    search: (newPos) => {
      if (!bySuffixArray) matcher.find(next, newPos, found);
      return found.len;
    },
    searchedPos: () => found.pos,
  });
  const at = copyInto(wasm, old);
  const sorted = bySuffixArray ? sortInParts(wasm, at, oldSize, options) : undefined;
  const nextAt = wasm.allocate(newSize);
  if (!nextAt && newSize > 0) throw outOfMemory(`the delta scan of a ${newSize}-byte image`);
  if (!sorted) wasm.indexExternal(at, oldSize);
  else if (!wasm.indexParts(at, oldSize, sorted.sa1, sorted.size1, sorted.sa2, sorted.offset2, sorted.size2)) {
    throw outOfMemory(`the delta scan of a ${newSize}-byte image`);
  }
  new Uint8Array(wasm.memory.buffer, nextAt, newSize).set(next);
  // The diff stream goes on top of everything else and the memory grows as it is written (assembly/scan.ts).
  const diff = wasm.allocate(0);
  if (!diff || wasm.scan(nextAt, newSize, diff) < 0) throw outOfMemory(`the delta scan of a ${newSize}-byte image`);
  const memory = wasm.memory.buffer;
  onProgress?.(1);
  return {
    control: dropEmptyEntries(control),
    diff: new Uint8Array(memory, diff, wasm.scannedDiffLength()),
    extra: extraBytes(control, next, wasm.scannedExtraLength()),
    sorted,
  };
}

/** The extra stream: each entry's `copy` bytes, which follow its `add` bytes in the new image. */
function extraBytes(control: readonly number[], next: Uint8Array, length: number): Uint8Array {
  const extra = new Uint8Array(length);
  let at = 0;
  let filled = 0;
  for (let k = 0; k < control.length; k += 3) {
    const add = control[k]!;
    const copy = control[k + 1]!;
    extra.set(next.subarray(at + add, at + add + copy), filled);
    filled += copy;
    at += add + copy;
  }
  return extra;
}
