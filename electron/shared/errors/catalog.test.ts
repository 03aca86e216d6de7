import { describe, expect, it } from 'vitest';
import { E, ERROR_CATALOG, lookupError } from './catalog';

describe('error catalog', () => {
  it('has unique, well-formed codes and complete entries', () => {
    const codes = ERROR_CATALOG.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of ERROR_CATALOG) {
      expect(e.code).toMatch(/^ZUC-\d{4}$/);
      expect(e.title.length).toBeGreaterThan(5);
      expect(e.cause.length).toBeGreaterThan(10);
      expect(e.remedy.length).toBeGreaterThan(5);
      expect(e.fumo).toBeGreaterThanOrEqual(200);
    }
  });

  it('finds an entry with or without the prefix', () => {
    expect(lookupError('zuc-4002')).toBe(E.BOOT_FAILED_ROLLED_BACK);
    expect(lookupError('4002')).toBe(E.BOOT_FAILED_ROLLED_BACK);
    expect(lookupError('ZUC-7777')).toBeUndefined();
  });
});
