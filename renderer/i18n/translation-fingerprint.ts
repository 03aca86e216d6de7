/** FNV-1a, 32 bits, hex, over UTF-8 English text: what a translation's `from` records, so a changed English asks for its translation to be reviewed. A change detector, not a security hash. */
export function translationFingerprint(english: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(english)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
