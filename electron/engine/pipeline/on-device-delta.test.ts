import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFirmwareImage } from '../../../native/firmware';
import { connectAgent } from '../../../native/protocol/agent';
import { buildTestFirmware, startSimulatedTerminal, testPayload, type RunningTerminal, type SimulatedTerminalOptions } from '../../../native/simulator';
import type { ApplyDeltaOptions, TerminalDriver } from '../../../native/terminal/terminal-driver';
import { E } from '../../shared/errors';
import { applyDelta, createDelta, readDeltaHeader } from '../delta';

/** On-device delta (agent protocol v2) with the real zdelta codec inside a real simulated terminal. */
const BOOT_MS = 100;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const PAYLOAD_BYTES = 400_000;
const OLD = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B01', payloadBytes: PAYLOAD_BYTES });
const NEW = (() => {
  const payload = testPayload(PAYLOAD_BYTES, 'MF286D/V1.0/B01');
  for (let i = 1000; i < PAYLOAD_BYTES; i += 50_000) payload[i] = payload[i]! ^ 0x5a;
  return buildFirmwareImage({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payload });
})();
const PATCH = createDelta(OLD, NEW);

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function endsOf(patch: Uint8Array): ApplyDeltaOptions {
  const h = readDeltaHeader(patch);
  return { source: { length: h.oldSize, sha256: h.oldSha256 }, target: { length: h.newSize, sha256: h.newSha256 } };
}

async function start(options: Partial<SimulatedTerminalOptions>): Promise<RunningTerminal> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'zuc-delta-'));
  cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
  const terminal = await startSimulatedTerminal({ stateDir, bootMs: BOOT_MS, initialImage: OLD, ...options });
  cleanups.push(() => terminal.close());
  return terminal;
}

async function connect(address: string): Promise<TerminalDriver> {
  const driver = await connectAgent(address);
  cleanups.push(() => driver.close());
  return driver;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('on-device delta', () => {
  it('sends only the patch; the terminal builds the new image in its inactive slot, which then boots', async () => {
    expect(PATCH.length).toBeLessThan(NEW.length / 10);
    const terminal = await start({ deltaApplier: applyDelta });
    const driver = await connect(terminal.address);
    expect((await driver.identify()).capabilities).toMatchObject({ delta: true, slots: 2 });
    const progress: number[] = [];
    await driver.applyDelta!('b', PATCH, { ...endsOf(PATCH), onProgress: (n) => progress.push(n) });
    expect(progress.at(-1)).toBe(PATCH.length);
    expect(terminal.inspect().payloadBytesReceived).toBe(PATCH.length);
    expect(sha256(await terminal.readSlot('b'))).toBe(sha256(NEW));
    expect(terminal.inspect().slots.b).toMatchObject({ state: 'unbootable', version: 'B02' });
    await driver.setActive('b');
    await driver.reboot();
    for (let i = 0; ; i++) {
      try {
        const after = await connect(terminal.address);
        expect(await after.identify()).toMatchObject({ activeSlot: 'b', firmwareVersion: 'B02' });
        break;
      } catch (err) {
        if (i > 100) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  });

  it('a terminal running other firmware refuses the delta before anything changes', async () => {
    const other = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B00', payloadBytes: PAYLOAD_BYTES });
    const terminal = await start({ deltaApplier: applyDelta, initialImage: other });
    const driver = await connect(terminal.address);
    const before = terminal.inspect();
    expect(await codeOf(driver.applyDelta!('b', PATCH, endsOf(PATCH)))).toBe(E.DEVICE_SOURCE_MISMATCH.code);
    const after = terminal.inspect();
    expect(after.slots).toEqual(before.slots);
    expect(after.payloadBytesReceived).toBe(0);
    expect((await terminal.readSlot('b')).length).toBe(0);
    expect(after.log.some((l) => /refused DELTA_BEGIN .*running slot a is/.test(l))).toBe(true);
  });

  it('a terminal without a delta applier, or with a v1 agent, answers unsupported and stays as it was', async () => {
    for (const options of [{}, { agentVersion: 1 as const }]) {
      const terminal = await start(options);
      const driver = await connect(terminal.address);
      expect((await driver.identify()).capabilities?.delta).toBe(false);
      expect(await codeOf(driver.applyDelta!('b', PATCH, endsOf(PATCH)))).toBe(E.AGENT_UNSUPPORTED.code);
      expect(terminal.inspect().slots.b.state).toBe('empty');
      // The link is still usable: the console can send the full image instead.
      await driver.writeSlot('b', NEW);
      expect(sha256(await terminal.readSlot('b'))).toBe(sha256(NEW));
    }
  });

  it('a result that fails the target hash, or a patch the terminal cannot apply, leaves the slot untouched', async () => {
    const corrupt = await start({ deltaApplier: applyDelta, faults: [{ kind: 'delta-corrupt' }] });
    const d1 = await connect(corrupt.address);
    expect(await codeOf(d1.applyDelta!('b', PATCH, endsOf(PATCH)))).toBe(E.DEVICE_DELTA_FAILED.code);
    expect(corrupt.inspect().slots.b.state).toBe('empty');
    expect((await corrupt.readSlot('b')).length).toBe(0);

    const terminal = await start({ deltaApplier: applyDelta });
    const d2 = await connect(terminal.address);
    const damaged = PATCH.slice();
    damaged[damaged.length - 10] = damaged[damaged.length - 10]! ^ 0xff;
    expect(await codeOf(d2.applyDelta!('b', damaged, endsOf(PATCH)))).toBe(E.DEVICE_DELTA_FAILED.code);
    expect(terminal.inspect().slots.b.state).toBe('empty');
    expect(terminal.inspect().log.some((l) => /delta for slot b failed to apply/.test(l))).toBe(true);
  });

  it('a single-slot terminal applies the delta over its running image', async () => {
    const terminal = await start({ deltaApplier: applyDelta, singleSlot: true });
    const driver = await connect(terminal.address);
    await driver.applyDelta!('a', PATCH, endsOf(PATCH));
    expect(sha256(await terminal.readSlot('a'))).toBe(sha256(NEW));
  });
});
