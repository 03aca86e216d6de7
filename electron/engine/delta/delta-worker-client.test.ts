import { describe, expect, it } from 'vitest';
import { applyDelta } from './apply-delta';
import { createDelta } from './create-delta';
import { codecWorkerRunning } from './delta-worker-client';
import { firmwareImage, seededBytes } from './firmware-fixtures';

describe('codec worker lifetime', () => {
  it('stops the worker a diff started once the diff is over, also when its diff stream went to brotli', async () => {
    const old = firmwareImage(81, 5 << 20);
    // Every third byte rewritten: a dense diff stream, which goes to brotli, so no bzip2 task asks for the worker.
    const next = old.slice();
    const noise = seededBytes(82, next.length);
    for (let i = 0; i < next.length; i += 3) next[i] = noise[i]!;
    const patch = createDelta(old, next);
    expect(Buffer.from(applyDelta(old, patch)).equals(Buffer.from(next))).toBe(true);
    expect(codecWorkerRunning()).toBe(true);
    const deadline = Date.now() + 10_000;
    while (codecWorkerRunning() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(codecWorkerRunning()).toBe(false);
  }, 60_000);
});
