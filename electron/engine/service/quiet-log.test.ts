import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock';
import { QUIET_REPEAT_MS, quietRepeats } from './quiet-log';

describe('quietRepeats', () => {
  it('passes a line repeated within the window once, and again once the window has passed', () => {
    let now = 1_000_000;
    const clock: Clock = { now: () => now, sleep: async () => undefined };
    const lines: string[] = [];
    const log = quietRepeats((line) => lines.push(line), clock);
    log('hawkbit ZTE-1: ZUC-7001 server unreachable');
    now += 60_000;
    log('hawkbit ZTE-1: ZUC-7001 server unreachable');
    log('hawkbit ZTE-2: ZUC-7001 server unreachable');
    now += QUIET_REPEAT_MS;
    log('hawkbit ZTE-1: ZUC-7001 server unreachable');
    expect(lines).toEqual(['hawkbit ZTE-1: ZUC-7001 server unreachable', 'hawkbit ZTE-2: ZUC-7001 server unreachable', 'hawkbit ZTE-1: ZUC-7001 server unreachable']);
  });
});
