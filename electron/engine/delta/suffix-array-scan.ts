import { codecInstance, copyInto, outOfMemory, SORT_RESERVE_PER_BYTE } from './codec-wasm-instance';
import { dropEmptyEntries, type DeltaScript } from './delta-script';
import { sortInParts, type PartsOptions, type SortedParts } from './parallel-suffix-sort';

/**
 * The `suffix-array` matcher's whole diff scan in WebAssembly: the old
 * image's suffixes sorted (assembly/sais.ts; a large image in two parts at
 * once, parallel-suffix-sort.ts), then the scan of delta-script.ts step for
 * step over them (assembly/scan.ts), all in one memory, so the old image,
 * its suffix arrays and the new image are copied in once. The script's
 * streams are views into the instance's memory, which lives as long as they do.
 */
export function scanWithSuffixArray(
  old: Uint8Array,
  next: Uint8Array,
  onProgress?: (fraction: number) => void,
  options: PartsOptions = {},
): DeltaScript & { sorted: SortedParts } {
  const oldSize = old.length;
  const newSize = next.length;
  onProgress?.(0);
  const wasm = codecInstance(5 * oldSize + 3 * newSize + (1 << 20), SORT_RESERVE_PER_BYTE * oldSize + 3 * newSize + (64 << 20), (done) =>
    onProgress?.(done / newSize),
  );
  const at = copyInto(wasm, old);
  const sorted = sortInParts(wasm, at, oldSize, options);
  const nextAt = wasm.allocate(newSize);
  const diff = nextAt && wasm.allocate(newSize);
  // Room for the worst case, all of the new image; pages that are never written take no memory.
  const extra = diff && wasm.allocate(newSize);
  if (!extra || !wasm.indexParts(at, oldSize, sorted.sa1, sorted.size1, sorted.sa2, sorted.offset2, sorted.size2)) {
    throw outOfMemory(`the delta scan of a ${newSize}-byte image`);
  }
  new Uint8Array(wasm.memory.buffer, nextAt, newSize).set(next);
  const entries = wasm.scan(nextAt, newSize, diff, extra);
  if (entries < 0) throw outOfMemory(`the delta scan of a ${newSize}-byte image`);
  const memory = wasm.memory.buffer;
  const control = Array.from(new Int32Array(memory, wasm.scannedControl(), 3 * entries));
  onProgress?.(1);
  return {
    control: dropEmptyEntries(control),
    diff: new Uint8Array(memory, diff, wasm.scannedDiffLength()),
    extra: new Uint8Array(memory, extra, wasm.scannedExtraLength()),
    sorted,
  };
}
