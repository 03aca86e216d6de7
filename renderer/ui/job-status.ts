import type { JobState } from '../../electron/shared/contract';

/** One word for where a job is: its running state, or its result once done. */
export type JobStatusKey = Exclude<JobState['kind'], 'done'> | 'success' | 'failed' | 'rolled-back';

export function jobStatusKey(state: JobState): JobStatusKey {
  return state.kind === 'done' ? state.report.result : state.kind;
}

/** Tone of the status badge. */
export function jobStatusTone(key: JobStatusKey): 'ok' | 'bad' | 'warn' | 'run' {
  if (key === 'success') return 'ok';
  if (key === 'failed') return 'bad';
  if (key === 'rolled-back' || key === 'rolling-back') return 'warn';
  return 'run';
}
