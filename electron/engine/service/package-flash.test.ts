import { describe, expect, it } from 'vitest';
import type { JobReport } from '../../shared/contract';
import { E } from '../../shared/errors';
import { deltaPackageFile, firmwareFor, packageFile, tampered, terminalState, trustDirWith } from '../image/package-test-kit';
import { generateKeyPair } from '../package';
import { startEngine, startTerminal } from '../test-kit';
import type { Engine } from './engine';

const publisher = generateKeyPair();

/** Stages package bytes as the desktop UI does, flashes them, and returns the report with the job log. */
async function flashStaged(engine: Engine, address: string, name: string, data: Uint8Array): Promise<{ report: JobReport; log: string[] }> {
  const staged = await engine.stageImage({ name, data: new Uint8Array(data) });
  await engine.addDevice({ address });
  let done: (report: JobReport) => void = () => undefined;
  const finished = new Promise<JobReport>((resolve) => (done = resolve));
  const subscription = engine.onJobChanged((view) => {
    if (view.address === address && view.state.kind === 'done') done(view.state.report);
  });
  try {
    await engine.startFlash({ address, image: { kind: 'staged', id: staged.id } });
    const report = await finished;
    const log = (await engine.getJobLog({ jobId: report.jobId })).map((l) => `${l.level} ${l.message}`);
    return { report, log };
  } finally {
    subscription.dispose();
  }
}

describe('manual flash of a signed package through the service', () => {
  it('stages a package showing its manifest, verifies it against the terminal and flashes the image inside', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine({ trustStoreDir: await trustDirWith(publisher) });
    const pkg = await packageFile({ version: 'B02', keys: [publisher] });
    const staged = await engine.stageImage({ name: 'MF286D_B02.zup', data: new Uint8Array(pkg.bytes) });
    expect(staged).toMatchObject({ name: 'MF286D_B02.zup', size: pkg.bytes.length, model: 'MF286D', hwRevision: 'V1.0', version: 'B02' });

    const { report, log } = await flashStaged(engine, terminal.address, 'MF286D_B02.zup', pkg.bytes);
    expect(report).toMatchObject({ result: 'success', code: E.SUCCESS.code, imageName: 'MF286D_B02.zup', fromVersion: 'B01', toVersion: 'B02', activeSlot: 'b', bytesSent: pkg.image.length });
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'b', slots: { b: { version: 'B02', state: 'good' } }, payloadBytesReceived: pkg.image.length });
    // The slot holds the image extracted from the package, not the package file.
    expect((await terminal.readSlot('b')).subarray(0, pkg.image.length)).toEqual(pkg.image);
    expect(log.join('\n')).toMatch(/package mf286d-b02 verified: version B02, security version 3/);
    expect(log.join('\n')).toMatch(/does not report a security version: anti-rollback not checked/);
  });

  it('uses <dataDir>/trust when no trust store folder is given: an empty one trusts nobody', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine();
    const before = await terminalState(terminal);
    const { report } = await flashStaged(engine, terminal.address, 'p.zup', (await packageFile({ version: 'B02', keys: [publisher] })).bytes);
    expect(report).toMatchObject({ result: 'failed', code: E.PACKAGE_UNTRUSTED_KEY.code, bytesSent: 0, toVersion: '' });
    expect(await terminalState(terminal)).toEqual(before);
  });

  const refusals: { name: string; code: string; bytes(): Promise<Uint8Array> }[] = [
    { name: 'signed by a key the console does not trust', code: E.PACKAGE_UNTRUSTED_KEY.code, bytes: async () => (await packageFile({ version: 'B02', keys: [generateKeyPair()] })).bytes },
    { name: 'unsigned', code: E.PACKAGE_UNSIGNED.code, bytes: async () => (await packageFile({ version: 'B02', keys: [] })).bytes },
    { name: 'for another model', code: E.PACKAGE_WRONG_MODEL.code, bytes: async () => (await packageFile({ version: 'B02', keys: [publisher], models: ['MF971'] })).bytes },
    { name: 'for another hardware revision', code: E.PACKAGE_WRONG_HW_REVISION.code, bytes: async () => (await packageFile({ version: 'B02', keys: [publisher], hwRevisions: ['V2.0'] })).bytes },
    { name: 'tampered after signing', code: E.PACKAGE_PAYLOAD_CORRUPT.code, bytes: async () => tampered((await packageFile({ version: 'B02', keys: [publisher] })).bytes) },
    { name: 'whose image header contradicts its manifest', code: E.PACKAGE_IMAGE_MISMATCH.code, bytes: async () => (await packageFile({ version: 'B02', headerVersion: 'B09', keys: [publisher] })).bytes },
    {
      name: 'that is a delta, with no source image offered',
      code: E.PACKAGE_DELTA_MANUAL_FLASH.code,
      bytes: async () => (await deltaPackageFile(publisher, firmwareFor('B01'), 'B02')).bytes,
    },
  ];
  for (const c of refusals) {
    it(`refuses a package ${c.name} with ${c.code}, nothing written`, async () => {
      const terminal = await startTerminal();
      const engine = await startEngine({ trustStoreDir: await trustDirWith(publisher) });
      const before = await terminalState(terminal);
      const { report, log } = await flashStaged(engine, terminal.address, 'p.zup', await c.bytes());
      expect(report).toMatchObject({ result: 'failed', code: c.code, bytesSent: 0, activeSlot: 'a' });
      expect(report.stages.find((s) => s.name === 'verify')?.status).toBe('failed');
      expect(report.stages.find((s) => s.name === 'install')?.status).not.toBe('done');
      expect(log.some((l) => l.startsWith('error') && l.includes(c.code))).toBe(true);
      expect(await terminalState(terminal)).toEqual(before);
    });
  }

  it('flashes an unsigned package only when the engine allows it, with a loud warning in the job log', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine({ trustStoreDir: await trustDirWith(publisher), allowUnsignedPackages: true });
    const pkg = await packageFile({ version: 'B02', keys: [] });
    const { report, log } = await flashStaged(engine, terminal.address, 'unsigned.zup', pkg.bytes);
    expect(report).toMatchObject({ result: 'success', toVersion: 'B02' });
    expect(log).toContain('warn DEVELOPMENT MODE: accepting an UNSIGNED package; its origin is unknown');
    expect(terminal.inspect().slots.b.version).toBe('B02');
  });

  it('never lets the development flag pass a package for another model', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine({ allowUnsignedPackages: true });
    const before = await terminalState(terminal);
    const { report } = await flashStaged(engine, terminal.address, 'p.zup', (await packageFile({ version: 'B02', keys: [], models: ['MF971'] })).bytes);
    expect(report).toMatchObject({ result: 'failed', code: E.PACKAGE_WRONG_MODEL.code, bytesSent: 0 });
    expect(await terminalState(terminal)).toEqual(before);
  });
});
