import { useCallback } from 'react';
import type { JobLogLine } from '../../electron/shared/contract';
import { englishLogText, type JobLogText, type LogState, type LogTextId } from '../../electron/shared/job-log';
import { useConsole } from '../store/console-store';
import type { Language } from '../store/settings-slice';
import { formatTime } from '../ui/format';
import { jobLogZhCN, type LogTranslation } from './job-log-zh-CN';

function chinese(text: JobLogText): string {
  const translation = jobLogZhCN[text.id] as LogTranslation<LogTextId>;
  return translation.text(text.args as never);
}

const localDeadline = (state: LogState): LogState => (state.kind === 'waiting-for-terminal' ? { ...state, deadline: formatTime(state.deadline) } : state);

/** A text as a console shows it: a transition's deadline in local time, like the log's own times (the English message keeps the ISO time). */
function shown(text: JobLogText): JobLogText {
  if (text.id !== 'state-changed') return text;
  return { id: text.id, args: { from: localDeadline(text.args.from), to: localDeadline(text.args.to) } };
}

/**
 * A job log line's words in `language`. Lines the engine wrote itself carry
 * a catalogued text and are rendered from it; relayed lines (the terminal's
 * own log, a server's answers) and lines stored before ids existed
 * keep the engine's English message.
 */
export function logLineText(line: JobLogLine, language: Language): string {
  if (!line.text) return line.message;
  const text = shown(line.text);
  return language === 'zh-CN' ? chinese(text) : englishLogText(text);
}

/** `logLineText` in the console's current language; log views re-render when the language changes. */
export function useLogLineText(): (line: JobLogLine) => string {
  const language = useConsole((s) => s.language);
  return useCallback((line: JobLogLine) => logLineText(line, language), [language]);
}
