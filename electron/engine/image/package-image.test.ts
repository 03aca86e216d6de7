import { describe, expect, it } from 'vitest';
import { buildFirmwareImage } from '../../../native/firmware';
import type { TerminalIdentity } from '../../../native/terminal/terminal-driver';
import { E } from '../../shared/errors';
import { englishLogText } from '../../shared/job-log';
import { generateKeyPair, packFull, trustStoreOf } from '../package';
import { sampleInput } from '../package/package-fixtures';
import { HW_REVISION, MODEL } from '../test-kit';
import { sha256Hex } from './load-image';
import { describePackage, unpackForTerminal, type PackagePolicy } from './package-image';
import { packageFile } from './package-test-kit';

const publisher = generateKeyPair();
const policy: PackagePolicy = { trustStore: trustStoreOf([publisher.publicKey]), allowUnsigned: false };

/** A terminal as agent protocol v1 describes itself: no anti-rollback counter. */
const terminal: TerminalIdentity = {
  model: MODEL,
  hwRevision: HW_REVISION,
  serial: 'ZTE0001',
  firmwareVersion: 'B01',
  activeSlot: 'a',
  slots: { a: { version: 'B01', state: 'good' }, b: { version: '', state: 'empty' } },
  slotSize: 8 * 1024 * 1024,
  agentVersion: 1,
} as TerminalIdentity;

const noSlotRead = () => Promise.reject(new Error('a full package never reads the running slot'));

async function loaded(spec: Parameters<typeof packageFile>[0]) {
  const { bytes, image } = await packageFile({ keys: [publisher], ...spec });
  return { file: { name: 'p.zup', bytes, sha256: sha256Hex(bytes) }, image };
}

describe('unpackForTerminal', () => {
  it('returns the image inside with its own hash and the manifest facts, and says anti-rollback was not checked', async () => {
    const { file, image } = await loaded({ version: 'B02', securityVersion: 4 });
    const unpacked = await unpackForTerminal(file, terminal, policy, noSlotRead);
    expect(unpacked.image).toEqual({ name: 'p.zup', bytes: image, sha256: sha256Hex(image) });
    expect(unpacked.facts).toEqual({ packageId: 'mf286d-b02', version: 'B02', securityVersion: 4, partition: 'firmware' });
    expect(unpacked.notes.map(englishLogText).join()).toMatch(/does not report a security version: anti-rollback not checked \(package security version 4\)/);
  });

  it('refuses a downgrade below the security version a terminal reports, and accepts an equal one', async () => {
    const { file } = await loaded({ version: 'B02', securityVersion: 4 });
    const reporting = { ...terminal, securityVersion: 5 } as TerminalIdentity;
    await expect(unpackForTerminal(file, reporting, policy, noSlotRead)).rejects.toMatchObject({ code: E.PACKAGE_DOWNGRADE.code });
    const same = await unpackForTerminal(file, { ...terminal, securityVersion: 4 } as TerminalIdentity, policy, noSlotRead);
    expect(same.notes.map(englishLogText).join()).toContain('anti-rollback: package security version 4, terminal 4');
  });

  it('refuses a package whose image is for another model than its manifest names', async () => {
    const image = buildFirmwareImage({ model: 'MF286R', hwRevision: HW_REVISION, version: 'B02', payload: new Uint8Array(4096).fill(7) });
    const { bytes } = packFull({ keys: [publisher], manifest: sampleInput({ models: [MODEL], hwRevisions: [HW_REVISION], version: 'B02' }), images: [{ name: 'firmware', image }] });
    await expect(unpackForTerminal({ name: 'p.zup', bytes, sha256: sha256Hex(bytes) }, terminal, policy, noSlotRead)).rejects.toMatchObject({
      code: E.PACKAGE_IMAGE_MISMATCH.code,
      detail: expect.stringContaining('image header is for MF286R rev V1.0'),
    });
  });
});

describe('describePackage', () => {
  it('shows every model and revision a package accepts, and null for bytes that are no package', async () => {
    const { bytes } = await packageFile({ version: 'B07', keys: [publisher], models: ['MF286D', 'MF286R'], hwRevisions: ['V1.0', 'V1.1'] });
    expect(await describePackage(bytes)).toEqual({ model: 'MF286D, MF286R', hwRevision: 'V1.0, V1.1', version: 'B07' });
    expect(await describePackage(bytes.subarray(0, 40))).toBeNull();
  });
});
