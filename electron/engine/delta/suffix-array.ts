/**
 * Suffix array construction by induced sorting (SA-IS, Nong, Zhang & Chan
 * 2009) in WebAssembly: our own AssemblyScript (assembly/sais.ts, compiled
 * by `npm run build:wasm` into sais-wasm.ts). Linear time, about twice as
 * fast as the same algorithm in JavaScript, whose typed-array loads carry
 * bounds checks, and 5.1 bytes of memory per byte of text at its peak: the
 * 4n-byte result, a copy of the text and one bit of type flag per byte (see
 * the source for where the recursion keeps its tables).
 */
import v8 from 'node:v8';
import { E, ZucError } from '../../shared/errors';
import { SAIS_WASM_BASE64 } from './sais-wasm';

/** Largest text: the sort needs 5.1 bytes per byte of it inside a WebAssembly memory of at most 4 GiB. */
export const MAX_SUFFIX_SORT_BYTES = 768 << 20;

interface SaisExports {
  memory: WebAssembly.Memory;
  /** Bump allocation in the instance's memory; 0 when it cannot grow. */
  allocate(bytes: number): number;
  /** Sorts the suffixes of the text at `text` into `sa`; 0 when the scratch memory could not grow. */
  sort(text: number, sa: number, n: number): number;
}

let compiled: WebAssembly.Module | undefined;

/**
 * V8 first compiles WebAssembly with its baseline compiler and moves a hot
 * function to the optimising one only at its next call, so the first sort
 * of a process ran its long passes at baseline speed (rollup's 2.5 MB:
 * 0.25 s instead of 0.17 s). The module is small (a few kB), so it is
 * compiled optimised at once; the flag is put back for everything else.
 */
function saisModule(): WebAssembly.Module {
  if (!compiled) {
    v8.setFlagsFromString('--no-liftoff');
    try {
      compiled = new WebAssembly.Module(Buffer.from(SAIS_WASM_BASE64, 'base64'));
    } finally {
      v8.setFlagsFromString('--liftoff');
    }
  }
  return compiled;
}

function tooLarge(n: number): ZucError {
  return new ZucError(E.DELTA_IMAGE_TOO_LARGE, `the suffix sort of a ${n}-byte image needs more memory than it can have (at most ${MAX_SUFFIX_SORT_BYTES} bytes)`);
}

/**
 * Sorted start positions of every suffix of `text` (the empty suffix
 * excluded). The result is a view into the memory of a WebAssembly instance
 * of its own, which lives as long as the view: its buffer cannot be
 * transferred to another thread (copy it with `slice()`).
 */
export function buildSuffixArray(text: Uint8Array): Int32Array {
  const n = text.length;
  if (n === 0) return new Int32Array(0);
  if (n > MAX_SUFFIX_SORT_BYTES) throw tooLarge(n);
  const sais = new WebAssembly.Instance(saisModule()).exports as unknown as SaisExports;
  const sa = sais.allocate(4 * n);
  const at = sa && sais.allocate(n);
  if (!at) throw tooLarge(n);
  new Uint8Array(sais.memory.buffer, at, n).set(text);
  if (!sais.sort(at, sa, n)) throw tooLarge(n);
  // The sort may have grown the memory, which replaces its buffer.
  return new Int32Array(sais.memory.buffer, sa, n);
}
