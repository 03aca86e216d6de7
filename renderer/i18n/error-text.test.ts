import { describe, expect, it } from 'vitest';
import { E, ERROR_CATALOG } from '../../electron/shared/errors';
import { errorSearchText, errorText } from './error-text';
import { errorsZhCN } from './errors-zh-CN';
import { translationFingerprint } from './translation-fingerprint';

const HAN = /\p{Script=Han}/u;

/** What a translation's `from` records: the fingerprint of the English title, cause and remedy. */
function fingerprint(e: { title: string; cause: string; remedy: string }): string {
  return translationFingerprint(`${e.title}\n${e.cause}\n${e.remedy}`);
}

describe('Chinese error texts cover the engine catalog', () => {
  it('has a complete Chinese title, cause and remedy for every catalogued code', () => {
    const missing = ERROR_CATALOG.filter((e) => errorsZhCN[e.code] === undefined).map((e) => `${e.code} (from: '${fingerprint(e)}')`);
    expect(missing, `codes without a Chinese translation in renderer/i18n/errors-zh-CN.ts: ${missing.join(', ')}`).toEqual([]);
    const incomplete = ERROR_CATALOG.filter((e) => {
      const zh = errorsZhCN[e.code]!;
      return [zh.title, zh.cause, zh.remedy].some((text) => !HAN.test(text));
    }).map((e) => e.code);
    expect(incomplete, `codes whose Chinese title, cause or remedy is empty or not Chinese: ${incomplete.join(', ')}`).toEqual([]);
  });

  it('has no Chinese entry for a code the catalog does not know', () => {
    const known = new Set(ERROR_CATALOG.map((e) => e.code));
    const unknown = Object.keys(errorsZhCN).filter((code) => !known.has(code));
    expect(unknown, `Chinese entries for codes not in electron/shared/errors: ${unknown.join(', ')}`).toEqual([]);
  });

  it('translates the English the engine shows now: a changed title, cause or remedy asks for its Chinese to be reviewed', () => {
    const stale = ERROR_CATALOG.filter((e) => errorsZhCN[e.code] && errorsZhCN[e.code]!.from !== fingerprint(e)).map((e) => `${e.code} (from: '${fingerprint(e)}')`);
    expect(stale, `English text changed since its Chinese was written; update the translation and its \`from\` in renderer/i18n/errors-zh-CN.ts: ${stale.join(', ')}`).toEqual([]);
  });

  it('keeps the commands and file names of the English remedy', () => {
    // A technician copies these from the screen: a translation must not alter them.
    const altered = ERROR_CATALOG.flatMap((e) => {
      const literals = [...e.remedy.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      return literals.filter((literal) => !errorsZhCN[e.code]?.remedy.includes(literal)).map((literal) => `${e.code}: ${literal}`);
    });
    expect(altered).toEqual([]);
  });
});

describe('errorText', () => {
  it('gives the engine’s own text in English and the translation in Chinese', () => {
    const entry = E.USB_ACCESS_DENIED;
    expect(errorText(entry, 'en')).toEqual({ title: entry.title, cause: entry.cause, remedy: entry.remedy });
    const { title, cause, remedy } = errorsZhCN[entry.code]!;
    expect(errorText(entry, 'zh-CN')).toEqual({ title, cause, remedy });
    expect(errorText(entry, 'zh-CN').title).toBe('没有打开 USB 终端的权限');
  });

  it('falls back to the engine’s text for a code the page does not know (an engine newer than the page)', () => {
    const newer = { code: 'ZUC-9999', title: 'Something new', cause: 'A new cause.', remedy: 'A new remedy.' };
    expect(errorText(newer, 'zh-CN')).toEqual({ title: 'Something new', cause: 'A new cause.', remedy: 'A new remedy.' });
  });

  it('searches English words always and Chinese words only when the console is in Chinese', () => {
    const entry = E.PORT_OPEN_FAILED;
    expect(errorSearchText(entry, 'en')).toContain('dialout');
    expect(errorSearchText(entry, 'en')).not.toContain('串口');
    expect(errorSearchText(entry, 'zh-CN')).toContain('串口');
    expect(errorSearchText(entry, 'zh-CN')).toContain('serial port');
  });
});
