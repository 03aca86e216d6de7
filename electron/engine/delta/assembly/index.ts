// The delta codec's WebAssembly module: suffix sorting (sais.ts) and the delta scan over the sorted
// suffixes or the caller's searches (scan.ts), in one memory the caller provides, shared between threads.
export { allocate, useArena } from './memory';
export { sort } from './sais';
export { findLongestMatch, foundPos, indexExternal, indexParts, scan, scannedDiffLength, scannedExtraLength } from './scan';
