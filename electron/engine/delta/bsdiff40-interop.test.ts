import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { applyDelta, createDelta, exportBsdiff40, importBsdiff40, MATCHER_NAMES, readDeltaHeader } from './index';
import { firmwareImage, nextRelease, seededBytes } from './firmware-fixtures';

// Debian's bsdiff package (scripts/install-test-deps.sh installs it): the reference BSDIFF40 writer and reader.
const dir = mkdtempSync(join(tmpdir(), 'bsdiff40-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes?: Uint8Array): string {
  const path = join(dir, name);
  if (bytes) writeFileSync(path, bytes);
  return path;
}

const pairs: Array<[string, Uint8Array, Uint8Array]> = [
  ['firmware release', firmwareImage(31, 200_000), nextRelease(firmwareImage(31, 200_000), 32)],
  ['unrelated random', seededBytes(33, 30_000), seededBytes(34, 35_000)],
  ['empty old', new Uint8Array(0), firmwareImage(35, 10_000)],
  ['empty new', firmwareImage(36, 10_000), new Uint8Array(0)],
];

describe('BSDIFF40 interoperability with Debian bsdiff/bspatch', () => {
  it.each(MATCHER_NAMES)('our exported patches (%s matcher) apply with bspatch, byte for byte', (matcher) => {
    for (const [name, oldImage, newImage] of pairs) {
      const exported = exportBsdiff40(createDelta(oldImage, newImage, { matcher }));
      execFileSync('bspatch', [file('old', oldImage), file('out'), file('patch', exported)]);
      expect(Buffer.from(readFileSync(file('out'))).equals(Buffer.from(newImage)), name).toBe(true);
      expect(Buffer.from(applyDelta(oldImage, exported)).equals(Buffer.from(newImage)), name).toBe(true);
    }
  }, 120_000);

  it('patches made by bsdiff apply with our applier, directly and after import to zdelta', () => {
    // Debian's bsdiff cannot mmap an empty file, so it makes no patch from or to one.
    for (const [name, oldImage, newImage] of pairs.filter(([, a, b]) => a.length > 0 && b.length > 0)) {
      execFileSync('bsdiff', [file('old', oldImage), file('new', newImage), file('patch')]);
      const foreign = readFileSync(file('patch'));
      expect(readDeltaHeader(foreign)).toMatchObject({ format: 'bsdiff40', newSize: newImage.length });
      expect(Buffer.from(applyDelta(oldImage, foreign)).equals(Buffer.from(newImage)), name).toBe(true);
      const imported = importBsdiff40(foreign, oldImage);
      expect(readDeltaHeader(imported).format).toBe('zdelta');
      expect(Buffer.from(applyDelta(oldImage, imported)).equals(Buffer.from(newImage)), name).toBe(true);
    }
  }, 120_000);
});
