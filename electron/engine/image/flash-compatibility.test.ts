import { describe, expect, it } from 'vitest';
import type { TerminalCompatibility } from '../../shared/contract';
import { E } from '../../shared/errors';
import { applyDelta } from '../delta';
import { generateKeyPair } from '../package';
import { imageFile, startEngine, startTerminal } from '../test-kit';
import { checkFlashCompatibility } from './flash-compatibility';
import { sha256Hex } from './load-image';
import { deltaPackageFile, packageFile, runningImageFile, terminalState, trustDirWith } from './package-test-kit';

const publisher = generateKeyPair();

function byAddress(terminals: TerminalCompatibility[], address: string): TerminalCompatibility {
  const found = terminals.find((t) => t.address === address);
  if (!found) throw new Error(`no entry for ${address}`);
  return found;
}

describe('checkFlashCompatibility: what a manual flash would do on each terminal, before anything is written', () => {
  it('verifies a signed package once and refuses it only for the terminal of another model', async () => {
    const engine = await startEngine({ trustStoreDir: await trustDirWith(publisher) });
    const [a, b, other] = [await startTerminal({ serial: 'CMP0001' }), await startTerminal({ serial: 'CMP0002' }), await startTerminal({ serial: 'CMP0003', model: 'MF971R' })];
    for (const t of [a, b, other]) await engine.addDevice({ address: t.address });
    const before = await terminalState(other);
    const pkg = await packageFile({ version: 'B02', keys: [publisher] });
    const staged = await engine.stageImage({ name: 'MF286D_B02.zup', data: new Uint8Array(pkg.bytes) });

    const result = await engine.checkFlashCompatibility({ image: { kind: 'staged', id: staged.id }, addresses: [a.address, b.address, other.address] });

    expect(result.image).toMatchObject({ kind: 'full-package', signature: 'trusted', version: 'B02', securityVersion: 3, imageBytes: pkg.image.length, problems: [] });
    expect(result.terminals.map((t) => t.address)).toEqual([a.address, b.address, other.address]);
    expect(byAddress(result.terminals, a.address)).toEqual({ address: a.address, status: 'compatible', issues: [], fromVersion: 'B01', targetSlot: 'b' });
    const refused = byAddress(result.terminals, other.address);
    expect(refused).toMatchObject({ status: 'error', targetSlot: null, issues: [{ kind: 'wrong-model', severity: 'error', terminal: 'MF971R', image: 'MF286D', error: { code: E.PACKAGE_WRONG_MODEL.code } }] });
    // Checking reads nothing from and writes nothing to a terminal.
    expect(await terminalState(other)).toEqual(before);
  });

  it('says which terminals are busy, unknown, or run that version already', async () => {
    const engine = await startEngine({ trustStoreDir: await trustDirWith(publisher) });
    const [same, busy] = [await startTerminal({ version: 'B02' }), await startTerminal()];
    for (const t of [same, busy]) await engine.addDevice({ address: t.address });
    const finished = new Promise<void>((resolve) => engine.onJobChanged((view) => view.state.kind === 'done' && resolve()));
    await engine.startFlash({ address: busy.address, image: { kind: 'path', path: (await imageFile({ version: 'B03' })).path } });
    const pkg = await packageFile({ version: 'B02', keys: [publisher] });
    const staged = await engine.stageImage({ name: 'p.zup', data: new Uint8Array(pkg.bytes) });

    const { terminals } = await engine.checkFlashCompatibility({ image: { kind: 'staged', id: staged.id }, addresses: [same.address, busy.address, 'tcp://127.0.0.1:9'] });

    expect(terminals[0]).toMatchObject({ status: 'warning', targetSlot: 'b', issues: [{ kind: 'same-version', severity: 'warning', terminal: 'B02', image: 'B02', error: null }] });
    expect(terminals[1]).toMatchObject({ status: 'error', issues: [{ kind: 'busy', error: { code: E.TERMINAL_BUSY.code } }] });
    expect(terminals[2]).toMatchObject({ status: 'error', issues: [{ kind: 'not-ready', error: { code: E.UNKNOWN_TERMINAL.code } }] });
    await finished;
  });

  it('refuses an untrusted package on every terminal, and lets it through with a warning in development mode', async () => {
    const stranger = generateKeyPair();
    const terminal = await startTerminal();
    const pkg = await packageFile({ version: 'B02', keys: [stranger] });
    for (const allowUnsignedPackages of [false, true]) {
      const engine = await startEngine({ trustStoreDir: await trustDirWith(publisher), allowUnsignedPackages });
      await engine.addDevice({ address: terminal.address });
      const staged = await engine.stageImage({ name: 'p.zup', data: new Uint8Array(pkg.bytes) });
      const result = await engine.checkFlashCompatibility({ image: { kind: 'staged', id: staged.id }, addresses: [terminal.address] });
      expect(result.image.signature).toBe('untrusted');
      if (allowUnsignedPackages) {
        expect(result.image.problems).toEqual([]);
        expect(result.terminals[0]).toMatchObject({ status: 'warning', issues: [{ kind: 'unsigned-dev', severity: 'warning' }] });
      } else {
        expect(result.image.problems).toMatchObject([{ code: E.PACKAGE_UNTRUSTED_KEY.code }]);
        expect(result.terminals[0]).toMatchObject({ status: 'error', issues: [{ kind: 'package-refused', error: { code: E.PACKAGE_UNTRUSTED_KEY.code } }] });
      }
      await engine.close();
    }
  });

  it('refuses raw images too large for the slot, without a header, or for another hardware revision', async () => {
    const engine = await startEngine();
    const terminal = await startTerminal({ slotSize: 256 * 1024 });
    await engine.addDevice({ address: terminal.address });
    const check = async (data: Uint8Array) => {
      const staged = await engine.stageImage({ name: 'x.bin', data: new Uint8Array(data) });
      return engine.checkFlashCompatibility({ image: { kind: 'staged', id: staged.id }, addresses: [terminal.address] });
    };

    const large = await check((await imageFile({ version: 'B02', payloadBytes: 300 * 1024 })).bytes);
    expect(large.image).toMatchObject({ kind: 'image', signature: 'none', version: 'B02', problems: [] });
    expect(large.terminals[0]).toMatchObject({ status: 'error', issues: [{ kind: 'too-large', terminal: '262144', error: { code: E.IMAGE_TOO_LARGE.code } }] });

    const headerless = await check(new Uint8Array(4096).fill(7));
    expect(headerless.image.problems).toMatchObject([{ code: E.IMAGE_NO_HEADER.code }]);
    expect(headerless.terminals[0]).toMatchObject({ status: 'error', issues: [{ kind: 'no-header' }] });

    const revision = await check((await imageFile({ version: 'B02', hwRevision: 'V2.0' })).bytes);
    expect(revision.terminals[0]).toMatchObject({ status: 'error', issues: [{ kind: 'wrong-hw-revision', terminal: 'V1.0', image: 'V2.0', error: { code: E.IMAGE_WRONG_MODEL.code } }] });

    const older = await check((await imageFile({ version: 'A09' })).bytes);
    expect(older.terminals[0]).toMatchObject({ status: 'warning', issues: [{ kind: 'older-version', terminal: 'B01', image: 'A09' }] });
  });

  it('needs the full package when a delta was made from another version than the terminal runs', async () => {
    const engine = await startEngine({ trustStoreDir: await trustDirWith(publisher) });
    const terminal = await startTerminal({ version: 'A05' });
    await engine.addDevice({ address: terminal.address });
    const delta = await deltaPackageFile(publisher, (await runningImageFile('B01')).bytes, 'B02');
    const staged = await engine.stageImage({ name: 'd.zup', data: new Uint8Array(delta.bytes) });

    const result = await engine.checkFlashCompatibility({ image: { kind: 'staged', id: staged.id }, addresses: [terminal.address] });

    expect(result.image).toMatchObject({ kind: 'delta-package', baseVersion: 'B01', version: 'B02' });
    expect(result.terminals[0]).toMatchObject({ status: 'error', issues: [{ kind: 'delta-base-mismatch', terminal: 'A05', image: 'B01', error: { code: E.PACKAGE_DELTA_SOURCE_MISMATCH.code } }] });
  });

  it('takes a delta only on a terminal that applies deltas itself', async () => {
    const engine = await startEngine({ trustStoreDir: await trustDirWith(publisher) });
    const [old, capable] = [await startTerminal({ serial: 'DLT0001' }), await startTerminal({ serial: 'DLT0002', deltaApplier: applyDelta })];
    for (const t of [old, capable]) await engine.addDevice({ address: t.address });
    const delta = await deltaPackageFile(publisher, (await runningImageFile('B01')).bytes, 'B02');
    const staged = await engine.stageImage({ name: 'd.zup', data: new Uint8Array(delta.bytes) });

    const { terminals } = await engine.checkFlashCompatibility({ image: { kind: 'staged', id: staged.id }, addresses: [old.address, capable.address] });

    expect(terminals[0]).toMatchObject({ status: 'error', issues: [{ kind: 'delta-unsupported', error: { code: E.PACKAGE_DELTA_MANUAL_FLASH.code } }] });
    expect(terminals[1]).toMatchObject({ status: 'compatible', issues: [], targetSlot: 'b' });
  });

  it('refuses a package below the security version a terminal reports (anti-rollback)', async () => {
    const pkg = await packageFile({ version: 'B09', keys: [publisher], securityVersion: 3 });
    const info = { address: 'tcp://127.0.0.1:7', transport: 'tcp' as const, model: 'MF286D', hwRevision: 'V1.0', serial: 'SV0001', firmwareVersion: 'B05', activeSlot: 'a' as const, slots: { a: { version: 'B05', state: 'good' as const, triesLeft: 0 }, b: { version: '', state: 'empty' as const, triesLeft: 0 } }, slotSize: 8 << 20, agentVersion: 2 };
    // An identity that carries an anti-rollback counter, as a later agent may report it.
    const view = { address: info.address, info: { ...info, securityVersion: 5 }, state: { kind: 'ready' as const } };
    const file = { name: 'p.zup', bytes: pkg.bytes, sha256: sha256Hex(pkg.bytes) };

    const result = await checkFlashCompatibility(file, [{ address: info.address, view, busy: false }], { trustStore: await trustDirWith(publisher), allowUnsigned: false });

    expect(result.terminals[0]).toMatchObject({ status: 'error', issues: [{ kind: 'downgrade', terminal: '5', image: '3', error: { code: E.PACKAGE_DOWNGRADE.code } }] });
  });

  it('refuses a request that is not one', async () => {
    const engine = await startEngine();
    await expect(engine.checkFlashCompatibility({ image: { kind: 'staged', id: 'x' }, addresses: [] })).rejects.toMatchObject({ code: E.BAD_REQUEST.code });
    await expect(engine.checkFlashCompatibility({ image: { kind: 'staged', id: 'f'.repeat(32) }, addresses: ['tcp://127.0.0.1:9'] })).rejects.toMatchObject({ code: E.IMAGE_NOT_FOUND.code });
  });
});
