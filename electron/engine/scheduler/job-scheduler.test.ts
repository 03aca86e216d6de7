import { describe, expect, it } from 'vitest';
import { E, ZucError } from '../../shared/errors';
import { JobScheduler } from './job-scheduler';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('job scheduler', () => {
  it('runs at most the limit at once, in the order submitted, and a failing job fails only itself', async () => {
    const scheduler = new JobScheduler(3);
    let running = 0;
    let peak = 0;
    const startedOrder: number[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        scheduler.submit(async () => {
          startedOrder.push(i);
          running++;
          peak = Math.max(peak, running);
          await pause(5 + (i % 3) * 5);
          running--;
          if (i === 2) throw new ZucError(E.NO_BOOT, 'terminal 2');
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(startedOrder).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', ...Array(7).fill('fulfilled')]);
    expect(scheduler.stats).toEqual({ maxRunning: 3, started: 10, finished: 10 });
  });

  it('refuses a limit that is not a whole number from 1 with a catalogued code', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 10_000]) expect(() => new JobScheduler(bad)).toThrow(expect.objectContaining({ code: E.BAD_ARGUMENTS.code }));
  });
});
