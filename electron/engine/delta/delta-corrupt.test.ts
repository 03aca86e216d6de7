import { describe, it, expect } from 'vitest';
import { ZucError } from '../../shared/errors';
import { applyDelta, applyDeltaStream, createDelta, exportBsdiff40, readDeltaHeader } from './index';
import { firmwareImage, nextRelease } from './firmware-fixtures';

const old = firmwareImage(21, 40_000);
const next = nextRelease(old, 22);
const patch = createDelta(old, next);

/** The catalogued code a bad patch is refused with; fails the test on a crash or a success. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err, String(err)).toBeInstanceOf(ZucError);
    return (err as ZucError).code;
  }
  throw new Error('the bad patch was accepted');
}

function withByte(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice();
  copy[at] = value;
  return copy;
}

function setU64(bytes: Uint8Array, at: number, value: bigint): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setBigUint64(at, value, true);
  return copy;
}

describe('bad zdelta patches are refused with a catalogued code', () => {
  it('refuses a patch cut short anywhere', () => {
    for (let cut = 0; cut < patch.length; cut += Math.max(1, Math.floor(patch.length / 300))) {
      const code = refusal(() => applyDelta(old, patch.subarray(0, cut)));
      expect(['ZUC-5101', 'ZUC-5102', 'ZUC-5106', 'ZUC-5110'], `cut at ${cut}`).toContain(code);
    }
  }, 120_000);

  it('refuses foreign files by their magic', () => {
    expect(refusal(() => applyDelta(old, new TextEncoder().encode('PK\u0003\u0004 not a patch at all')))).toBe('ZUC-5102');
    expect(refusal(() => applyDelta(old, new Uint8Array(0)))).toBe('ZUC-5102');
    expect(refusal(() => readDeltaHeader(withByte(patch, 0, 0x41)))).toBe('ZUC-5102');
  }, 120_000);

  it('refuses every single flipped bit, in the header and in the streams', () => {
    for (let at = 0; at < patch.length; at++) {
      const bit = 1 << (at % 8);
      const code = refusal(() => applyDelta(old, withByte(patch, at, patch[at]! ^ bit)));
      expect(code, `bit ${at % 8} of byte ${at}`).toMatch(/^ZUC-51\d\d$/);
    }
  }, 120_000);

  it('refuses absurd declared sizes before allocating anything', () => {
    // A forged header with a valid checksum is what an attacker would send; the size check comes before any allocation.
    const forged = setU64(patch, 52, 1n << 50n);
    expect(refusal(() => applyDelta(old, forged))).toMatch(/ZUC-510[45]/);
    expect(refusal(() => applyDelta(old, setU64(patch, 12, 0xffff_ffff_ffffn)))).toMatch(/ZUC-510[45]/);
  }, 120_000);

  it('refuses a delta for another old image before producing a byte', async () => {
    const other = old.slice();
    other[5] = other[5]! ^ 1;
    expect(refusal(() => applyDelta(other, patch))).toBe('ZUC-5107');
    expect(refusal(() => applyDelta(old.subarray(1), patch))).toBe('ZUC-5107');
    let received = 0;
    await expect(applyDeltaStream(other, patch, (c) => void (received += c.length))).rejects.toMatchObject({ code: 'ZUC-5107' });
    expect(received).toBe(0);
  }, 120_000);

  it('refuses a damaged BSDIFF40 patch', () => {
    const bsdiff = exportBsdiff40(patch);
    for (let at = 8; at < bsdiff.length; at += 7) {
      const damaged = withByte(bsdiff, at, bsdiff[at]! ^ 0x10);
      let result: Uint8Array | undefined;
      try {
        result = applyDelta(old, damaged);
      } catch (err) {
        expect(err, String(err)).toBeInstanceOf(ZucError);
        expect((err as ZucError).code).toMatch(/^ZUC-51\d\d$/);
      }
      // bzip2's CRCs catch stream damage; a flip inside a length field may still decode to the same bytes.
      if (result) expect(Buffer.from(result).equals(Buffer.from(next)), `byte ${at}`).toBe(true);
    }
    expect(refusal(() => applyDelta(old, bsdiff.subarray(0, 20)))).toBe('ZUC-5101');
    expect(refusal(() => applyDelta(old, setU64(bsdiff, 24, 1n << 45n)))).toBe('ZUC-5105');
  }, 120_000);
});
