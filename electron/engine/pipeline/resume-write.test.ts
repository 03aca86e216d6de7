import { describe, expect, it } from 'vitest';
import { FAST_LINK_CHUNK_BYTES } from '../../../native/protocol/agent';
import { parseFaultSpec } from '../../../native/simulator';
import { E } from '../../shared/errors';
import { engineWithTerminal, flash, imageFile, RESUMED_FLASH_PATH, statePath, TEST_TIMEOUTS } from '../test-kit';

/** Several chunks, so 10 %, 50 % and 99 % fall in different ones. */
const PAYLOAD_BYTES = 600_000;

describe('a write cut by a dropped link (agent protocol v2)', () => {
  for (const percent of [10, 50, 99]) {
    it(`disconnect@${percent}%: the job waits for the terminal, resumes from the acknowledged offset and succeeds`, async () => {
      const { terminal, engine } = await engineWithTerminal({ faults: [parseFaultSpec(`disconnect@${percent}%`)] });
      const image = await imageFile({ version: 'B02', payloadBytes: PAYLOAD_BYTES });

      const { report, states } = await flash(engine, terminal.address, image.path);

      expect(report).toMatchObject({ result: 'success', code: E.SUCCESS.code, activeSlot: 'b', toVersion: 'B02' });
      expect(statePath(states)).toEqual(RESUMED_FLASH_PATH);
      const waiting = states.find((s) => s.kind === 'waiting-for-terminal');
      expect(waiting?.kind === 'waiting-for-terminal' && Date.parse(waiting.deadline) - Date.parse(waiting.since)).toBe(TEST_TIMEOUTS.reconnectWaitMs);
      // Every acknowledged byte crossed the link once; only the chunk cut short went again (TCP: FAST_LINK_CHUNK_BYTES a chunk).
      const total = image.bytes.length;
      const cutAt = Math.floor((total * percent) / 100);
      const acknowledged = Math.floor(cutAt / FAST_LINK_CHUNK_BYTES) * FAST_LINK_CHUNK_BYTES;
      expect(terminal.inspect().payloadBytesReceived).toBe(total + (cutAt - acknowledged));
      expect(terminal.inspect().log.some((l) => l.includes(`resumed at ${acknowledged} of ${total}`))).toBe(true);
      expect((await terminal.readSlot('b')).subarray(0, total)).toEqual(image.bytes);
      const log = (await engine.getJobLog({ jobId: report.jobId })).map((l) => l.message);
      expect(log.some((m) => m.includes('resuming the write'))).toBe(true);
    });
  }

  it('a terminal that does not come back in time: failed LINK_LOST after the wait, running slot untouched', async () => {
    const { terminal, engine } = await engineWithTerminal({ faults: [parseFaultSpec('disconnect@50%')] }, { timeouts: { ...TEST_TIMEOUTS, reconnectWaitMs: 600 } });
    const image = await imageFile({ version: 'B02', payloadBytes: PAYLOAD_BYTES });
    // The terminal is switched off as soon as the job starts waiting for it.
    const subscription = engine.onJobChanged((view) => {
      if (view.state.kind === 'waiting-for-terminal') void terminal.close();
    });
    const started = Date.now();
    const { report, states } = await flash(engine, terminal.address, image.path);
    subscription.dispose();

    expect(report).toMatchObject({ result: 'failed', code: E.LINK_LOST.code, activeSlot: 'a' });
    expect(statePath(states)).toEqual(['queued', 'detecting', 'verifying', 'installing:write', 'waiting-for-terminal', 'reporting:failed', 'done']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
  });

  it('a v1 terminal (no resume) fails at once with LINK_LOST, as before protocol v2', async () => {
    const { terminal, engine } = await engineWithTerminal({ agentVersion: 1, faults: [parseFaultSpec('disconnect@50%')] });
    const image = await imageFile({ version: 'B02', payloadBytes: PAYLOAD_BYTES });

    const { report, states } = await flash(engine, terminal.address, image.path);

    expect(report).toMatchObject({ result: 'failed', code: E.LINK_LOST.code, activeSlot: 'a' });
    expect(statePath(states)).toEqual(['queued', 'detecting', 'verifying', 'installing:write', 'reporting:failed', 'done']);
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
  });
});
