import type { JobLogLine } from '../../electron/shared/contract';
import { formatTime } from './format';

/** One job or device log line: time, level, message. */
export function LogLine({ line }: { line: JobLogLine }) {
  return (
    <li className={`log-${line.level}`}>
      <time dateTime={line.at}>{formatTime(line.at)}</time>
      <span className="log-level">{line.level}</span>
      <span className="log-msg">{line.message}</span>
    </li>
  );
}
