// Memory of the codec's WebAssembly module: one bump allocator over the (shared) memory the caller
// provides, and typed loads and stores by index.

let top: usize = 0;
/** End of the region this instance may allocate in (0: no end but the memory's); see useArena. */
let arenaEnd: usize = 0;

export function savedTop(): usize {
  return top;
}

export function restoreTop(saved: usize): void {
  top = saved;
}

/**
 * Confines this instance's allocations to [base, end), a region another instance over the same shared
 * memory reserved (and grew the memory for): two threads then never allocate over each other.
 */
export function useArena(base: usize, end: usize): void {
  top = base;
  arenaEnd = end;
}

/** Bump allocation, 8-aligned, growing the memory as needed; 0 when the memory (or the arena) cannot hold it. */
export function allocate(bytes: usize): usize {
  if (top == 0) top = __heap_base;
  const p = (top + 7) & ~(<usize>7);
  const end = p + bytes;
  if (arenaEnd != 0 && end > arenaEnd) return 0;
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  top = end;
  return p;
}

@inline export function at<T>(s: usize, i: i32): i32 {
  return <i32>load<T>(s + ((<usize>i) << alignof<T>()));
}
@inline export function geti(p: usize, i: i32): i32 {
  return load<i32>(p + ((<usize>i) << 2));
}
@inline export function seti(p: usize, i: i32, v: i32): void {
  store<i32>(p + ((<usize>i) << 2), v);
}
