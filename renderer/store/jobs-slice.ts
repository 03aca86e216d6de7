import type { StateCreator } from 'zustand';
import { finishedJobView, type JobLogLine, type JobReport, type JobView } from '../../electron/shared/contract';
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
  /** Applies many job views and log lines in one store update (the mirror's throttled flush): one render for all of them. */
  applyJobEvents(jobs: JobView[], lines: JobLogLine[]): void;
  /** Adds finished jobs from the engine's history (earlier sessions) that the snapshot no longer holds. */
  applyHistory(reports: JobReport[]): void;
  selectJob(jobId: string | null): void;
  appendJobLog(line: JobLogLine): void;
  /** Replaces a job's log with the engine's copy, keeping lines that arrived meanwhile. */
  setJobLog(jobId: string, lines: JobLogLine[]): void;
}

/** The log with `line` added at its end, unless it is there already. */
function withLine(lines: JobLogLine[], line: JobLogLine): JobLogLine[] {
  return lines.some((l) => sameLine(l, line)) ? lines : [...lines, line];
}

function sameLine(a: JobLogLine, b: JobLogLine): boolean {
  return a.at === b.at && a.message === b.message && a.level === b.level;
}

function capped(lines: JobLogLine[]): JobLogLine[] {
  return lines.length > MAX_LOG_LINES_PER_JOB ? lines.slice(lines.length - MAX_LOG_LINES_PER_JOB) : lines;
}

/** A finished job from the history, as the job view shows it; the engine's snapshot carries those Retry applies to. */
export const jobFromReport = finishedJobView;

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
  applyJobEvents: (views, lines) =>
    set((s) => {
      if (views.length === 0 && lines.length === 0) return {};
      const patch: Partial<JobsSlice> = {};
      if (views.length > 0) {
        const jobs = { ...s.jobs, ...Object.fromEntries(views.map((j) => [j.id, j])) };
        patch.jobs = jobs;
        patch.jobOrder = views.every((j) => s.jobs[j.id]) ? s.jobOrder : newestFirst(jobs);
      }
      if (lines.length > 0) {
        const jobLogs = { ...s.jobLogs };
        for (const line of lines) jobLogs[line.jobId] = withLine(jobLogs[line.jobId] ?? [], line);
        for (const jobId of new Set(lines.map((l) => l.jobId))) jobLogs[jobId] = capped(jobLogs[jobId]!);
        patch.jobLogs = jobLogs;
      }
      return patch;
    }),
  applyHistory: (reports) =>
    set((s) => {
      const earlier = reports.filter((r) => !s.jobs[r.jobId]).map(jobFromReport);
      if (earlier.length === 0) return {};
      const jobs = { ...s.jobs, ...Object.fromEntries(earlier.map((j) => [j.id, j])) };
      return { jobs, jobOrder: newestFirst(jobs), selectedJobId: s.selectedJobId ?? newestFirst(jobs)[0] ?? null };
    }),
  selectJob: (selectedJobId) => set({ selectedJobId }),
  appendJobLog: (line) =>
    set((s) => {
      const lines = s.jobLogs[line.jobId] ?? [];
      const next = withLine(lines, line);
      return next === lines ? {} : { jobLogs: { ...s.jobLogs, [line.jobId]: capped(next) } };
    }),
  setJobLog: (jobId, fetched) =>
    set((s) => {
      const later = (s.jobLogs[jobId] ?? []).filter((l) => !fetched.some((f) => sameLine(f, l)));
      return { jobLogs: { ...s.jobLogs, [jobId]: capped([...fetched, ...later]) } };
    }),
});
