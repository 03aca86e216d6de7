/**
 * Suffix array construction by induced sorting (SA-IS, Nong, Zhang & Chan
 * 2009) in WebAssembly: our own AssemblyScript (assembly/sais.ts, compiled
 * by `npm run build:wasm` into sais-wasm.ts). Linear time, about twice as
 * fast as the same algorithm in JavaScript, whose typed-array loads carry
 * bounds checks, and 5.1 bytes of memory per byte of text at its peak: the
 * 4n-byte result, a copy of the text and one bit of type flag per byte (see
 * the source for where the recursion keeps its tables).
 *
 * The memory is shared (a SharedArrayBuffer), so a suffix array sorted in
 * one thread is read by another without a copy.
 */
import v8 from 'node:v8';
import { E, ZucError } from '../../shared/errors';
import { SAIS_WASM_BASE64 } from './sais-wasm';

/** Largest text: the sort needs 5.1 bytes per byte of it inside a WebAssembly memory of at most 4 GiB. */
export const MAX_SUFFIX_SORT_BYTES = 768 << 20;
const PAGE_BYTES = 1 << 16;
const MAX_PAGES = 65536;
/**
 * Address space reserved per sort, in bytes per byte of text: a shared memory
 * reserves its maximum up front (committing only what is used) and can never
 * grow past it. 5.1n is what binaries take; this bounds the worst case, where
 * no recursion level's tables fit inside the suffix array (5.2n + 4n + 2n + …).
 */
const RESERVED_BYTES_PER_BYTE = 14;

interface SaisExports {
  /** Bump allocation in the instance's memory; 0 when it cannot grow. */
  allocate(bytes: number): number;
  /** Sorts the suffixes of the text at `text` into `sa`; 0 when the scratch memory could not grow. */
  sort(text: number, sa: number, n: number): number;
}

let compiled: WebAssembly.Module | undefined;

/**
 * V8 compiles a WebAssembly function when it is first called, with its
 * baseline compiler, and moves a hot one to the optimising compiler only at
 * a later call, so the first sort of a process ran its long passes at
 * baseline speed (rollup's 2.5 MB: 0.23 s instead of 0.15 s). The module is
 * small (a few kB), so it is compiled whole and optimised at once; the flags
 * are put back for everything else.
 */
function saisModule(): WebAssembly.Module {
  if (!compiled) {
    v8.setFlagsFromString('--no-liftoff');
    v8.setFlagsFromString('--no-wasm-lazy-compilation');
    try {
      compiled = new WebAssembly.Module(Buffer.from(SAIS_WASM_BASE64, 'base64'));
    } finally {
      v8.setFlagsFromString('--liftoff');
      v8.setFlagsFromString('--wasm-lazy-compilation');
    }
  }
  return compiled;
}

function tooLarge(n: number): ZucError {
  return new ZucError(E.DELTA_IMAGE_TOO_LARGE, `the suffix sort of a ${n}-byte image needs more memory than it can have (at most ${MAX_SUFFIX_SORT_BYTES} bytes)`);
}

/**
 * Sorted start positions of every suffix of `text` (the empty suffix
 * excluded): a view into the shared memory of a WebAssembly instance of its
 * own, which lives as long as the view. Post it to another thread as it is
 * (its buffer is shared, not transferable).
 */
export function buildSuffixArray(text: Uint8Array): Int32Array {
  const n = text.length;
  if (n === 0) return new Int32Array(0);
  if (n > MAX_SUFFIX_SORT_BYTES) throw tooLarge(n);
  const pages = (bytes: number): number => Math.min(MAX_PAGES, Math.ceil(bytes / PAGE_BYTES));
  const memory = new WebAssembly.Memory({ initial: pages(5 * n + PAGE_BYTES), maximum: pages(RESERVED_BYTES_PER_BYTE * n + 16 * PAGE_BYTES), shared: true });
  const sais = new WebAssembly.Instance(saisModule(), { env: { memory } }).exports as unknown as SaisExports;
  const sa = sais.allocate(4 * n);
  const at = sa && sais.allocate(n);
  if (!at) throw tooLarge(n);
  new Uint8Array(memory.buffer, at, n).set(text);
  if (!sais.sort(at, sa, n)) throw tooLarge(n);
  // The sort may have grown the memory: only a buffer read after it covers the new pages.
  return new Int32Array(memory.buffer, sa, n);
}
