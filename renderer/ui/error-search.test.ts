import { describe, expect, it } from 'vitest';
import { E, ERROR_CATALOG } from '../../electron/shared/errors';
import { searchErrors } from './error-search';

const entries = [...ERROR_CATALOG];

describe('error-code search over the real catalog', () => {
  it('finds an entry by our code, with or without the prefix', () => {
    const some = entries[3]!;
    expect(searchErrors(entries, some.code).map((e) => e.code)).toContain(some.code);
    expect(searchErrors(entries, some.code.slice(4)).map((e) => e.code)).toContain(some.code);
  });
  it('finds every entry reported under a FUMO code, and only those', () => {
    const fumo = entries.find((e) => e.fumo !== 200)!.fumo;
    const found = searchErrors(entries, String(fumo));
    expect(found.length).toBeGreaterThan(0);
    for (const e of found) expect([e.fumo, e.tr069, Number(e.code.slice(4))]).toContain(fumo);
  });
  it('finds entries by words from their cause or remedy, all words required', () => {
    const entry = entries.find((e) => e.remedy.split(' ').length > 3)!;
    const words = entry.remedy.split(' ').slice(0, 2).join(' ');
    expect(searchErrors(entries, words)).toContain(entry);
    expect(searchErrors(entries, 'qwertyuiop')).toEqual([]);
  });
  it('finds entries by the Chinese words a Chinese screen shows, and still by English words', () => {
    const found = (query: string) => searchErrors(entries, query, 'zh-CN').map((e) => e.code);
    expect(found('串口 权限')).toContain(E.PORT_OPEN_FAILED.code);
    expect(found('dialout')).toContain(E.PORT_OPEN_FAILED.code);
    // An English screen shows no Chinese, so Chinese words find nothing there.
    expect(searchErrors(entries, '串口', 'en')).toEqual([]);
  });
});
