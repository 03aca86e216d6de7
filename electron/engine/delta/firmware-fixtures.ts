/**
 * Generated firmware-like images for the codec's tests: code-like bytes,
 * repeated tables, 0xFF erase padding, and release-to-release edits
 * (changed pointers, inserted, deleted and moved blocks). Deterministic per
 * seed so a failure can be reproduced.
 */

/** Deterministic pseudo-random symbols below `alphabet` (xorshift), so a failure can be reproduced from its seed. */
export function seededText(seed: number, length: number, alphabet: number): Uint8Array {
  let x = seed | 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % alphabet;
  }
  return out;
}

export function seededBytes(seed: number, length: number): Uint8Array {
  return seededText(seed, length, 256);
}

/** An image with a code-like section (few distinct opcodes), a repeated table and 0xFF padding to `length`. */
export function firmwareImage(seed: number, length: number): Uint8Array {
  const image = new Uint8Array(length).fill(0xff);
  const noise = seededBytes(seed, length);
  const codeEnd = Math.floor(length * 0.6);
  for (let i = 0; i < codeEnd; i++) image[i] = noise[i]! % 5 === 0 ? noise[i]! : [0x48, 0x89, 0xe5, 0x8b, 0x45][i % 5]!;
  const tableEnd = Math.floor(length * 0.8);
  for (let i = codeEnd; i < tableEnd; i++) image[i] = (i - codeEnd) % 64;
  return image;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The next release of `old`: patched pointers every ~4 KiB, one inserted block, one deleted block, one block moved. */
export function nextRelease(old: Uint8Array, seed: number): Uint8Array {
  const n = old.length;
  const edited = old.slice();
  const noise = seededBytes(seed + 7, Math.max(16, n >> 10));
  for (let i = 100, k = 0; i < n; i += 4000 + (noise[k % noise.length]! << 2), k++) edited[i] = edited[i]! + 4;
  const q = Math.floor(n / 4);
  const inserted = seededBytes(seed + 11, Math.min(3000, q));
  return concat(
    edited.subarray(0, q),
    inserted,
    edited.subarray(q + Math.floor(q / 8), 2 * q),
    edited.subarray(3 * q, n),
    edited.subarray(2 * q, 3 * q),
  );
}
