import { describe, expect, it } from 'vitest';
import type { JobLogLine } from '../../electron/shared/contract';
import { jobLogGroups, linesAtOrAbove } from './log-filter';

const line = (jobId: string, level: JobLogLine['level'], message: string): JobLogLine => ({ jobId, at: '2026-11-28T19:00:00.000Z', level, message });

describe('the Troubleshoot log’s lines', () => {
  const logs = {
    j3: [line('j3', 'debug', 'frame 1'), line('j3', 'info', 'write of slot b complete'), line('j3', 'error', 'read-back mismatch')],
    j1: [line('j1', 'debug', 'frame 9'), line('j1', 'warn', 'slow link')],
    other: [line('other', 'error', 'another terminal')],
  };

  it('keep the lines at the lowest level chosen or above, in order', () => {
    expect(linesAtOrAbove(logs.j3, 'debug')).toEqual(logs.j3);
    expect(linesAtOrAbove(logs.j3, 'info').map((l) => l.message)).toEqual(['write of slot b complete', 'read-back mismatch']);
    expect(linesAtOrAbove(logs.j3, 'error').map((l) => l.level)).toEqual(['error']);
  });

  it('of a terminal are only its jobs’ lines, one group per job in the order given', () => {
    const groups = jobLogGroups(['j3', 'j1'], logs, 'debug');
    expect(groups.map((g) => g.jobId)).toEqual(['j3', 'j1']);
    expect(groups.flatMap((g) => g.lines).every((l) => l.jobId !== 'other')).toBe(true);
  });

  it('leave out a job with no line at the level chosen, and a job whose log is not read yet', () => {
    expect(jobLogGroups(['j3', 'j1', 'j0'], logs, 'error')).toEqual([{ jobId: 'j3', lines: [logs.j3[2]] }]);
    expect(jobLogGroups(['j1'], logs, 'warn')).toEqual([{ jobId: 'j1', lines: [logs.j1[1]] }]);
  });
});
