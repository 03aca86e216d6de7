import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { JobLogLine } from '../../electron/shared/contract';
import { consoleActions } from '../service/console-service';
import { useConsole } from '../store/console-store';

const NO_LINES: JobLogLine[] = [];
const NO_IDS: string[] = [];

/** One job's log lines (useJobLogs of one job); an empty id gives no lines. */
export function useJobLog(jobId: string): JobLogLine[] {
  return useJobLogs(jobId ? [jobId] : NO_IDS)[jobId] ?? NO_LINES;
}

/**
 * The log lines of several jobs by job id as the store holds them: each
 * fetched from the engine once the console is online (older lines the page
 * never saw), then followed through the log events.
 */
export function useJobLogs(jobIds: readonly string[]): Record<string, JobLogLine[]> {
  const logs = useConsole(useShallow((s) => Object.fromEntries(jobIds.map((id) => [id, s.jobLogs[id] ?? NO_LINES]))));
  const online = useConsole((s) => s.connection === 'online');
  const setJobLog = useConsole((s) => s.setJobLog);
  // One key for the list, so a new array with the same jobs does not fetch again.
  const key = jobIds.join('\n');
  useEffect(() => {
    if (!online || !key) return;
    let current = true;
    for (const jobId of key.split('\n')) {
      consoleActions.loadJobLog(jobId).then(
        (fetched) => current && setJobLog(jobId, fetched),
        () => undefined,
      );
    }
    return () => {
      current = false;
    };
  }, [key, online, setJobLog]);
  return logs;
}
