import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock';
import { StageTimeline } from './stage-timeline';

function steppedClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  return { now: () => now, sleep: async () => undefined, advance: (ms) => (now += ms) };
}

describe('stage timeline', () => {
  it('times stages and install steps and marks what never ran as skipped', () => {
    const clock = steppedClock();
    const timeline = new StageTimeline(clock, ['download']);
    timeline.begin('detect');
    clock.advance(40);
    timeline.endStage('detect', 'done');
    timeline.begin('install', 'write');
    clock.advance(300);
    timeline.endStep('write', 'failed');
    timeline.endStage('install', 'failed');
    timeline.close();
    expect(timeline.snapshot()).toEqual([
      { name: 'detect', status: 'done', ms: 40 },
      { name: 'download', status: 'skipped', ms: null },
      { name: 'verify', status: 'skipped', ms: null },
      {
        name: 'install',
        status: 'failed',
        ms: 300,
        steps: [
          { name: 'write', status: 'failed', ms: 300 },
          { name: 'readback', status: 'skipped', ms: null },
          { name: 'activate', status: 'skipped', ms: null },
          { name: 'reboot', status: 'skipped', ms: null },
          { name: 'confirm', status: 'skipped', ms: null },
        ],
      },
      { name: 'report', status: 'skipped', ms: null },
    ]);
  });

  it('gives copies, so a view sent to the UI does not change under it', () => {
    const timeline = new StageTimeline(steppedClock(), []);
    const before = timeline.snapshot();
    timeline.begin('install', 'write');
    expect(before[3]!.status).toBe('pending');
    expect(before[3]!.steps![0]!.status).toBe('pending');
  });
});
