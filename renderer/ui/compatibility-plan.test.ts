import { describe, expect, it } from 'vitest';
import type { FlashCompatibility, TerminalCompatibility } from '../../electron/shared/contract';
import { canTick, flashPlan, initialTicks } from './compatibility-plan';

function entry(address: string, status: TerminalCompatibility['status']): TerminalCompatibility {
  const issues: TerminalCompatibility['issues'] =
    status === 'compatible' ? [] : [{ kind: status === 'error' ? 'wrong-model' : 'same-version', severity: status, terminal: 'x', image: 'y', error: null }];
  return { address, status, issues, fromVersion: 'B01', targetSlot: status === 'error' ? null : 'b' };
}

const result: FlashCompatibility = {
  image: { kind: 'full-package', signature: 'trusted', signers: ['k'], packageId: 'p', version: 'B02', securityVersion: 1, baseVersion: null, imageBytes: 10, problems: [] },
  terminals: [entry('t1', 'compatible'), entry('t2', 'warning'), entry('t3', 'error')],
};

describe('manual flash plan', () => {
  it('ticks the compatible terminals the technician chose, never a warning or an error by itself', () => {
    expect(initialTicks(result, true)).toEqual({ t1: true, t2: false, t3: false });
    expect(initialTicks(result, false)).toEqual({ t1: false, t2: false, t3: false });
  });

  it('flashes a warning only once ticked, and an error never, even when ticked', () => {
    expect(flashPlan(result, initialTicks(result, true))).toEqual(['t1']);
    expect(flashPlan(result, { t1: true, t2: true, t3: true })).toEqual(['t1', 't2']);
    expect(result.terminals.map(canTick)).toEqual([true, true, false]);
  });
});
