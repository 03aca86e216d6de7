/** Many jobs at once, within a limit; one job's failure never stops the others. */
export { JobScheduler, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, type SchedulerStats } from './job-scheduler';
