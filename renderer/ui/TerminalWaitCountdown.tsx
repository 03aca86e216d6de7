import { useEffect, useState } from 'react';
import { useT } from '../i18n/use-t';

/** The countdown refreshes once a second: finer steps would not be read. */
const TICK_MS = 1000;

/** m:ss until `deadline` (ISO time), never below 0:00. */
export function timeLeft(deadline: string, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(deadline) - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Shown while a job waits for a terminal whose link dropped mid-write. */
export function TerminalWaitCountdown({ deadline }: { deadline: string }) {
  const t = useT();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const expired = Date.parse(deadline) <= now;
  return (
    <p className="notice notice-warn" role="timer" aria-live="polite" data-testid="job-waiting">
      {expired ? t.job.waitingExpired : t.job.waitingForTerminal(timeLeft(deadline, now))}
    </p>
  );
}
