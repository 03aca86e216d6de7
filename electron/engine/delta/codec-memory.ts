/**
 * The codec's WebAssembly memories, for measuring it (bench/delta). They are
 * shared memories, which V8 leaves out of process.memoryUsage().external, so
 * a caller that sums V8's figures would not see the largest part of a diff:
 * the suffix array and the images copied in. Each memory counts with its
 * whole size until it is garbage-collected — the upper bound of what it can
 * hold resident.
 */
const live = new Set<WeakRef<WebAssembly.Memory>>();

export function trackCodecMemory(memory: WebAssembly.Memory): void {
  live.add(new WeakRef(memory));
}

/** Bytes of the codec's WebAssembly memories not yet collected. */
export function codecWasmBytes(): number {
  let bytes = 0;
  for (const ref of live) {
    const memory = ref.deref();
    if (memory) bytes += memory.buffer.byteLength;
    else live.delete(ref);
  }
  return bytes;
}
