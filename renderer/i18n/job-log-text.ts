import { useCallback } from 'react';
import type { JobLogLine } from '../../electron/shared/contract';
import { englishLogText, type JobLogText, type LogTextId } from '../../electron/shared/job-log';
import { useConsole } from '../store/console-store';
import type { Language } from '../store/settings-slice';
import { jobLogZhCN, type LogTranslation } from './job-log-zh-CN';

function chinese(text: JobLogText): string {
  const translation = jobLogZhCN[text.id] as LogTranslation<LogTextId>;
  return translation.text(text.args as never);
}

/**
 * A job log line's words in `language`. Lines the engine wrote itself carry
 * a catalogued text and are rendered from it; relayed lines (the terminal's
 * own log, a package verifier's notes) and lines stored before ids existed
 * keep the engine's English message.
 */
export function logLineText(line: JobLogLine, language: Language): string {
  if (!line.text) return line.message;
  return language === 'zh-CN' ? chinese(line.text) : englishLogText(line.text);
}

/** `logLineText` in the console's current language; log views re-render when the language changes. */
export function useLogLineText(): (line: JobLogLine) => string {
  const language = useConsole((s) => s.language);
  return useCallback((line: JobLogLine) => logLineText(line, language), [language]);
}
