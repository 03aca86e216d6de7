import { describe, expect, it } from 'vitest';
import { codecWasmBytes } from './codec-memory';
import { firmwareImage, nextRelease } from './firmware-fixtures';
import { scanDelta } from './delta-scan';

describe('codec memory accounting', () => {
  it('counts the WebAssembly memory a diff holds, which V8 leaves out of its own figures', () => {
    const old = firmwareImage(71, 1 << 20);
    const before = codecWasmBytes();
    const script = scanDelta(old, nextRelease(old, 72), 'suffix-array');
    // The suffix array (4 bytes per old byte), the old and the new image and the diff stream are in it.
    expect(codecWasmBytes() - before).toBeGreaterThanOrEqual(7 * old.length);
    expect(script.diff.buffer.byteLength).toBeLessThanOrEqual(codecWasmBytes());
  });
});
