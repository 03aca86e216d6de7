import v8 from 'node:v8';
import { E, ZucError } from '../../shared/errors';
import { trackCodecMemory } from './codec-memory';
import { CODEC_WASM_BASE64 } from './codec-wasm';

/**
 * The codec's WebAssembly module (our own AssemblyScript in assembly/,
 * compiled by `npm run build:wasm` into codec-wasm.ts): suffix sorting and
 * the delta scan, whose hot loops run there compiled ahead of time, without
 * the bounds checks of typed arrays and without the JIT's warm-up, which in
 * a fresh process (a CLI run, the benchmark) cost the JavaScript scan as
 * much again as its steady-state time.
 */

/** Largest old image: the sort needs 5.1 bytes per byte of it inside a WebAssembly memory of at most 4 GiB. */
export const MAX_SUFFIX_SORT_BYTES = 768 << 20;
const PAGE_BYTES = 1 << 16;
const MAX_PAGES = 65536;

export interface CodecWasm {
  /** The instance's memory (a SharedArrayBuffer; read `.buffer` again after a call that may have grown it). */
  memory: WebAssembly.Memory;
  /** Bump allocation in the memory; 0 when it cannot grow. */
  allocate(bytes: number): number;
  /** Confines this instance's allocations to [base, end) of a shared memory (another thread's instance works elsewhere in it). */
  useArena(base: number, end: number): void;
  /** Sorts the suffixes of the n bytes at `text` into the n-entry array at `sa`; 0 when the memory could not grow. */
  sort(text: number, sa: number, n: number): number;
  /**
   * The suffix arrays the searches use (assembly/scan.ts): `sa1` of the first `size1` bytes at `old`, and
   * `sa2` of the `size2` bytes from `offset2` on (size2 0: one part). 0 when the memory could not grow.
   */
  indexParts(old: number, oldSize: number, sa1: number, size1: number, sa2: number, offset2: number, size2: number): number;
  /** The old image for a scan whose searches the caller answers (CodecHooks.search). */
  indexExternal(old: number, oldSize: number): void;
  /** The delta scan against indexParts' or indexExternal's old image: the number of control entries, −1 when the memory could not grow. */
  scan(next: number, newSize: number, diff: number): number;
  /** One search: the length of the longest match at next[newPos..] (capped); its old position from foundPos(). */
  findLongestMatch(next: number, newSize: number, newPos: number): number;
  foundPos(): number;
  scannedDiffLength(): number;
  scannedExtraLength(): number;
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
export function codecModule(): WebAssembly.Module {
  if (!compiled) {
    v8.setFlagsFromString('--no-liftoff');
    v8.setFlagsFromString('--no-wasm-lazy-compilation');
    try {
      compiled = new WebAssembly.Module(Buffer.from(CODEC_WASM_BASE64, 'base64'));
    } finally {
      v8.setFlagsFromString('--liftoff');
      v8.setFlagsFromString('--wasm-lazy-compilation');
    }
  }
  return compiled;
}

export function outOfMemory(what: string): ZucError {
  return new ZucError(E.DELTA_IMAGE_TOO_LARGE, `${what} needs more memory than the codec can have (images of at most ${MAX_SUFFIX_SORT_BYTES} bytes)`);
}

/** What the module calls back: the scan's progress (new-image bytes done), each control entry it makes, and the caller's searches (indexExternal). */
export interface CodecHooks {
  progress?(done: number): void;
  entry?(add: number, copy: number, seek: number): void;
  search?(newPos: number): number;
  searchedPos?(): number;
}

/**
 * A fresh instance with a memory of its own, which lives as long as any view
 * into it. A shared memory reserves its `maxBytes` of address space up front
 * (committing pages only as they are used) and can never grow past it.
 */
export function codecInstance(initialBytes: number, maxBytes: number, hooks: CodecHooks = {}): CodecWasm {
  const pages = (bytes: number): number => Math.min(MAX_PAGES, Math.ceil(bytes / PAGE_BYTES));
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages(initialBytes), maximum: pages(maxBytes + 16 * PAGE_BYTES), shared: true });
  } catch {
    // The address space or memory for it is not there (V8 throws a RangeError).
    throw outOfMemory(`a codec memory of ${initialBytes} bytes`);
  }
  trackCodecMemory(memory);
  return instanceOver(memory, codecModule(), hooks);
}

/**
 * An instance over an existing shared memory: another thread's second
 * instance (its module posted to it), which must then allocate only inside
 * an arena the memory's first instance reserved for it (useArena).
 */
export function instanceOver(memory: WebAssembly.Memory, module: WebAssembly.Module, hooks: CodecHooks = {}): CodecWasm {
  const none = (): number => 0;
  const { progress = none, entry = none, search = none, searchedPos = none } = hooks;
  const instance = new WebAssembly.Instance(module, { env: { memory, progress, entry, search, searchedPos } });
  return { ...(instance.exports as unknown as Omit<CodecWasm, 'memory'>), memory };
}

/**
 * Address space reserved per sort, in bytes per byte of text: 5.1n is what
 * binaries take; this bounds the worst case, where no recursion level's
 * tables fit inside the suffix array (5.2n + 4n + 2n + …).
 */
export const SORT_RESERVE_PER_BYTE = 14;

/** Copies `text` into the instance; returns where it is. */
export function copyInto(wasm: CodecWasm, text: Uint8Array): number {
  const n = text.length;
  if (n > MAX_SUFFIX_SORT_BYTES) throw outOfMemory(`the suffix sort of a ${n}-byte image`);
  const at = wasm.allocate(n);
  if (!at && n > 0) throw outOfMemory(`the suffix sort of a ${n}-byte image`);
  new Uint8Array(wasm.memory.buffer, at, n).set(text);
  return at;
}

/** Sorts the suffixes of the n bytes at `at` into a new array; returns where the array is. */
export function sortAt(wasm: CodecWasm, at: number, n: number): number {
  const sa = wasm.allocate(4 * n);
  if ((!sa && n > 0) || (n > 0 && !wasm.sort(at, sa, n))) throw outOfMemory(`the suffix sort of a ${n}-byte image`);
  return sa;
}

/** Copies `text` into the instance and sorts its suffixes; returns where the text and the suffix array are. */
export function sortInto(wasm: CodecWasm, text: Uint8Array): { at: number; sa: number } {
  const at = copyInto(wasm, text);
  return { at, sa: sortAt(wasm, at, text.length) };
}
