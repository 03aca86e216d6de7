import type { JobLogLine } from '../../electron/shared/contract';
import { useLogLineText } from '../i18n/job-log-text';
import { useT } from '../i18n/use-t';
import { formatTime } from './format';

/** One job or device log line: time, level, message in the console's language. */
export function LogLine({ line }: { line: JobLogLine }) {
  const t = useT();
  const text = useLogLineText();
  return (
    <li className={`log-${line.level}`}>
      <time dateTime={line.at}>{formatTime(line.at)}</time>
      <span className="log-level">{t.logLevel[line.level]}</span>
      <span className="log-msg">{text(line)}</span>
    </li>
  );
}
