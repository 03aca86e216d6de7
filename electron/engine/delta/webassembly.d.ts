/**
 * The part of the WebAssembly JavaScript API the codec uses. Node has it
 * built in, but @types/node 20 leaves it to the DOM library, which the
 * engine does not load.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    /** Sizes in 64 KiB pages; a shared memory needs a maximum and has a SharedArrayBuffer as its buffer. */
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
  }
}
