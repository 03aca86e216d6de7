import { useConsole } from '../store/console-store';
import type { Language } from '../store/settings-slice';
import { en } from './en';
import type { Messages } from './messages';
import { zhCN } from './zh-CN';

const TABLES: Record<Language, Messages> = { en, 'zh-CN': zhCN };

/** The texts in the language of the settings; the page re-renders in the new language the moment it changes. */
export function useT(): Messages {
  const language = useConsole((s) => s.language);
  return TABLES[language];
}
