import { describe, it, expect } from 'vitest';
import type { JobView } from '../../electron/shared/contract';
import { jobsOnTerminal, newestJobOf } from './terminal-log';

const job = (id: string, address: string): JobView => ({ id, address, imageName: `${id}.bin`, createdAt: '2026-11-28T19:00:00.000Z', state: { kind: 'queued' }, stages: [] });

describe('the jobs a terminal’s “Open log” shows', () => {
  const jobs = { j3: job('j3', 'tcp://a:1'), j2: job('j2', 'usb:19d2:1405:X'), j1: job('j1', 'tcp://a:1') };
  it('is the newest job on that terminal, not the newest job overall', () => {
    expect(newestJobOf('tcp://a:1', ['j3', 'j2', 'j1'], jobs)?.id).toBe('j3');
    expect(newestJobOf('usb:19d2:1405:X', ['j3', 'j2', 'j1'], jobs)?.id).toBe('j2');
  });
  it('is none for a terminal nothing ran on yet', () => {
    expect(newestJobOf('tcp://b:2', ['j3', 'j2', 'j1'], jobs)).toBeUndefined();
  });
  it('lists every job of that terminal, newest first, for its Troubleshoot log', () => {
    expect(jobsOnTerminal('tcp://a:1', ['j3', 'j2', 'j1'], jobs)).toEqual(['j3', 'j1']);
    expect(jobsOnTerminal('tcp://b:2', ['j3', 'j2', 'j1'], jobs)).toEqual([]);
  });
});
