import type { StateCreator } from 'zustand';
import type { JobLogLine, JobView } from '../../electron/shared/contract';
import type { ConsoleState } from './console-state';

/** Log lines kept per job in the page; older ones stay in the engine's history. */
export const MAX_LOG_LINES_PER_JOB = 2_000;

export interface JobsSlice {
  jobs: Record<string, JobView>;
  /** Job ids, newest first. */
  jobOrder: string[];
  selectedJobId: string | null;
  jobLogs: Record<string, JobLogLine[]>;
  applyJob(job: JobView): void;
  selectJob(jobId: string | null): void;
  appendJobLog(line: JobLogLine): void;
  /** Replaces a job's log with the engine's copy, keeping lines that arrived meanwhile. */
  setJobLog(jobId: string, lines: JobLogLine[]): void;
}

function sameLine(a: JobLogLine, b: JobLogLine): boolean {
  return a.at === b.at && a.message === b.message && a.level === b.level;
}

function capped(lines: JobLogLine[]): JobLogLine[] {
  return lines.length > MAX_LOG_LINES_PER_JOB ? lines.slice(lines.length - MAX_LOG_LINES_PER_JOB) : lines;
}

function newestFirst(jobs: Record<string, JobView>): string[] {
  return Object.values(jobs)
    .sort((x, y) => y.createdAt.localeCompare(x.createdAt) || y.id.localeCompare(x.id))
    .map((j) => j.id);
}

export const createJobsSlice: StateCreator<ConsoleState, [], [], JobsSlice> = (set) => ({
  jobs: {},
  jobOrder: [],
  selectedJobId: null,
  jobLogs: {},
  applyJob: (job) =>
    set((s) => {
      const jobs = { ...s.jobs, [job.id]: job };
      return { jobs, jobOrder: s.jobs[job.id] ? s.jobOrder : newestFirst(jobs) };
    }),
  selectJob: (selectedJobId) => set({ selectedJobId }),
  appendJobLog: (line) =>
    set((s) => {
      const lines = s.jobLogs[line.jobId] ?? [];
      if (lines.some((l) => sameLine(l, line))) return {};
      return { jobLogs: { ...s.jobLogs, [line.jobId]: capped([...lines, line]) } };
    }),
  setJobLog: (jobId, fetched) =>
    set((s) => {
      const later = (s.jobLogs[jobId] ?? []).filter((l) => !fetched.some((f) => sameLine(f, l)));
      return { jobLogs: { ...s.jobLogs, [jobId]: capped([...fetched, ...later]) } };
    }),
});
