import { errorSearchText } from '../i18n/error-text';
import type { CatalogEntry } from '../store/errors-slice';
import type { Language } from '../store/settings-slice';

/**
 * Catalog entries matching what a support engineer typed: our code
 * (`ZUC-4003`, `4003`), an OMA-DM FUMO or TR-069 code given as a number
 * (exact), or words that all appear in the title, cause or remedy, in
 * English or in the console's `language` (a Chinese screen finds by the
 * Chinese words it shows, and still by the English ones).
 */
export function searchErrors(entries: CatalogEntry[], query: string, language: Language = 'en'): CatalogEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return entries;
  if (/^\d+$/.test(q)) {
    const n = Number(q);
    return entries.filter((e) => e.fumo === n || e.tr069 === n || e.code.toLowerCase().endsWith(`-${q}`));
  }
  if (/^zuc-\d*$/.test(q)) return entries.filter((e) => e.code.toLowerCase().startsWith(q));
  const words = q.split(/\s+/);
  return entries.filter((e) => {
    const text = errorSearchText(e, language).toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
