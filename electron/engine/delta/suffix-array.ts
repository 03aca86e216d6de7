/**
 * Suffix array construction by induced sorting (SA-IS, Nong, Zhang & Chan
 * 2009) in WebAssembly (assembly/sais.ts): linear time, and 5.1 bytes of
 * memory per byte of text at its peak — the 4n-byte result, a copy of the
 * text and one bit of type flag per byte (see the source for where the
 * recursion keeps its tables).
 */
import { codecInstance, SORT_RESERVE_PER_BYTE, sortInto } from './codec-wasm-instance';

export { MAX_SUFFIX_SORT_BYTES } from './codec-wasm-instance';

/**
 * Sorted start positions of every suffix of `text` (the empty suffix
 * excluded): a view into the shared memory of a WebAssembly instance of its
 * own, which lives as long as the view.
 */
export function buildSuffixArray(text: Uint8Array): Int32Array {
  const n = text.length;
  if (n === 0) return new Int32Array(0);
  const wasm = codecInstance(5 * n + (1 << 16), SORT_RESERVE_PER_BYTE * n);
  const { sa } = sortInto(wasm, text);
  // The sort may have grown the memory: only a buffer read after it covers the new pages.
  return new Int32Array(wasm.memory.buffer, sa, n);
}
