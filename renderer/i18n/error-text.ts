import { useCallback } from 'react';
import { useConsole } from '../store/console-store';
import type { Language } from '../store/settings-slice';
import { errorsZhCN, type ErrorTexts } from './errors-zh-CN';

export type { ErrorTexts } from './errors-zh-CN';

/** What an error on screen carries: a catalogued code and the engine's (English) texts for it. */
export type ErrorTextSource = { readonly code: string } & ErrorTexts;

const TRANSLATIONS: Record<Language, Readonly<Record<string, ErrorTexts>> | null> = { en: null, 'zh-CN': errorsZhCN };

/**
 * An error's title, cause and remedy in `language`. English is the engine's
 * own text; a code the translation does not know yet (an engine newer than
 * the page) keeps the engine's text rather than showing nothing.
 */
export function errorText(entry: ErrorTextSource, language: Language): ErrorTexts {
  const translated = TRANSLATIONS[language]?.[entry.code] ?? entry;
  return { title: translated.title, cause: translated.cause, remedy: translated.remedy };
}

/** Everything an error-code search may match for an entry: the engine's words always, the translation's too when the console shows one. */
export function errorSearchText(entry: ErrorTextSource, language: Language): string {
  const own = `${entry.code} ${entry.title} ${entry.cause} ${entry.remedy}`;
  const translated = TRANSLATIONS[language]?.[entry.code];
  return translated ? `${own} ${translated.title} ${translated.cause} ${translated.remedy}` : own;
}

/** `errorText` in the console's current language; screens re-render when the language changes. */
export function useErrorText(): (entry: ErrorTextSource) => ErrorTexts {
  const language = useConsole((s) => s.language);
  return useCallback((entry: ErrorTextSource) => errorText(entry, language), [language]);
}
