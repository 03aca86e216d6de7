import { describe, expect, it } from 'vitest';
import { timeLeft } from './TerminalWaitCountdown';

describe('waiting-for-terminal countdown', () => {
  const deadline = '2026-01-01T12:02:00.000Z';
  const at = (iso: string): number => Date.parse(iso);

  it('reads as m:ss, rounding a started second up', () => {
    expect(timeLeft(deadline, at('2026-01-01T12:00:00.000Z'))).toBe('2:00');
    expect(timeLeft(deadline, at('2026-01-01T12:00:36.500Z'))).toBe('1:24');
    expect(timeLeft(deadline, at('2026-01-01T12:01:59.100Z'))).toBe('0:01');
  });

  it('stops at 0:00 once the deadline passed', () => {
    expect(timeLeft(deadline, at('2026-01-01T12:05:00.000Z'))).toBe('0:00');
  });
});
