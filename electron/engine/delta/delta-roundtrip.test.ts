import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, it, expect } from 'vitest';
import { applyDelta, applyDeltaStream, createDelta, FRAME_BYTES, OUTPUT_CHUNK_BYTES, readDeltaHeader } from './index';
import { firmwareImage, nextRelease, seededBytes } from './firmware-fixtures';
import { sha256Hex } from './create-delta';

function roundTrip(oldImage: Uint8Array, newImage: Uint8Array): Uint8Array {
  const patch = createDelta(oldImage, newImage);
  expect(Buffer.from(applyDelta(oldImage, patch)).equals(Buffer.from(newImage))).toBe(true);
  return patch;
}

describe('zdelta round trips', () => {
  const old = firmwareImage(1, 300_000);
  const next = nextRelease(old, 2);

  it('rebuilds a firmware release from a patch far smaller than the image', () => {
    const patch = roundTrip(old, next);
    expect(patch.length).toBeLessThan(next.length / 20);
  });

  it('rebuilds random, repetitive, padded, shifted and identical images', () => {
    const random = seededBytes(3, 50_000);
    const shifted = new Uint8Array(50_100);
    shifted.set(random, 100);
    const cases: Array<[string, Uint8Array, Uint8Array]> = [
      ['unrelated random', seededBytes(4, 40_000), seededBytes(5, 40_000)],
      ['all 0xFF to padded image', new Uint8Array(200_000).fill(0xff), firmwareImage(6, 200_000)],
      ['repetitive', new Uint8Array(100_000).fill(0x55), Uint8Array.from({ length: 100_000 }, (_, i) => (i % 7 === 0 ? 0x56 : 0x55))],
      ['block shifted by 100 bytes', random, shifted],
      ['identical', random, random],
      ['truncated tail', random, random.subarray(0, 30_000)],
      ['one byte', Uint8Array.of(1), Uint8Array.of(2)],
    ];
    for (const [name, a, b] of cases) {
      const patch = createDelta(a, b);
      expect(Buffer.from(applyDelta(a, patch)).equals(Buffer.from(b)), name).toBe(true);
    }
  });

  it('handles an empty old image and an empty new image', () => {
    const image = firmwareImage(7, 20_000);
    roundTrip(new Uint8Array(0), image);
    roundTrip(image, new Uint8Array(0));
    roundTrip(new Uint8Array(0), new Uint8Array(0));
  });

  it('records sizes and SHA-256 of both images in the header', () => {
    const patch = createDelta(old, next);
    expect(readDeltaHeader(patch)).toEqual({
      oldSize: old.length,
      oldSha256: sha256Hex(old),
      newSize: next.length,
      newSha256: sha256Hex(next),
      format: 'zdelta',
    });
  });

  it('reports progress from 0 to 1 in order', () => {
    const seen: number[] = [];
    createDelta(old, next, { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});

describe('streaming apply', () => {
  // Larger than one 8 MiB frame, so frames and chunk boundaries are crossed.
  const old = firmwareImage(8, 10 * 1024 * 1024);
  const next = nextRelease(old, 9);
  let patch: Uint8Array = new Uint8Array(0);
  // Diffing 10 MiB takes seconds; on a loaded CI machine far more than the default timeout.
  const SLOW_MS = 180_000;
  beforeAll(() => {
    patch = createDelta(old, next);
  }, SLOW_MS);

  it('delivers the image in small chunks, equal to the one-shot result', async () => {
    const chunks: Uint8Array[] = [];
    await applyDeltaStream(old, patch, async (chunk) => {
      chunks.push(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    });
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(OUTPUT_CHUNK_BYTES);
    expect(Buffer.concat(chunks).equals(Buffer.from(next))).toBe(true);
  }, SLOW_MS);

  it('refuses a patch damaged in its last frame before the sink receives a byte', async () => {
    const damaged = patch.slice();
    damaged[damaged.length - 10] = damaged[damaged.length - 10]! ^ 0x20;
    let received = 0;
    await expect(applyDeltaStream(old, damaged, (chunk) => void (received += chunk.length))).rejects.toMatchObject({ code: 'ZUC-5106' });
    expect(received).toBe(0);
  }, SLOW_MS);

  it('holds the old image plus at most about one frame, not the whole output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zdelta-'));
    try {
      writeFileSync(join(dir, 'old'), old);
      writeFileSync(join(dir, 'patch'), patch);
      // A child with --expose-gc measures live buffers only, chunk after chunk, as a device writer would consume them.
      const probe = `
        import { readFileSync } from 'node:fs';
        const { applyDeltaStream } = await import(${JSON.stringify(join(import.meta.dirname, 'index.ts'))});
        const old = readFileSync(${JSON.stringify(join(dir, 'old'))});
        const patch = readFileSync(${JSON.stringify(join(dir, 'patch'))});
        gc();
        const base = process.memoryUsage().arrayBuffers;
        let peak = 0, total = 0;
        await applyDeltaStream(old, patch, (chunk) => { total += chunk.length; gc(); gc(); peak = Math.max(peak, process.memoryUsage().arrayBuffers - base); });
        console.log(JSON.stringify({ peak, total }));`;
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', probe], { encoding: 'utf8' });
      const { peak, total } = JSON.parse(out) as { peak: number; total: number };
      expect(total).toBe(next.length);
      expect(peak).toBeLessThan(FRAME_BYTES + 2 * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, SLOW_MS);
});
