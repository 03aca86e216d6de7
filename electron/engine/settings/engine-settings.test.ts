import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../shared/contract';
import { E } from '../../shared/errors';
import { packageFile, trustDirWith } from '../image/package-test-kit';
import { generateKeyPair } from '../package';
import { flash, startEngine, startTerminal, tempDir } from '../test-kit';
import { SETTINGS_FILE_NAME } from './index';

const TOKEN = 'tenant-GatewayToken-51d0';

describe('settings through the engine', () => {
  it('the station and the desktop app see the same sources because they share the data folder', async () => {
    const dataDir = await tempDir('zuc-data-');
    const desktop = await startEngine({ dataDir, log: () => undefined });
    const seen: SettingsView[] = [];
    desktop.onSettingsChanged((view) => seen.push(view));
    await desktop.updateSettings({ sources: [{ kind: 'catalog', url: 'http://fw.lan/index.json' }, { kind: 'hawkbit', url: 'http://hb.lan:8080', tenant: 'DEFAULT', token: TOKEN }] });
    expect(seen.map((v) => v.sources.length)).toEqual([2]);

    const station = await startEngine({ dataDir, log: () => undefined });
    expect((await station.getSettings({})).sources).toEqual([
      { kind: 'catalog', url: 'http://fw.lan/index.json' },
      { kind: 'hawkbit', url: 'http://hb.lan:8080', tenant: 'DEFAULT', tokenKind: 'gateway', poll: false, hasToken: true },
    ]);
    // Both running: a change saved in one shows in the other without a restart.
    await desktop.updateSettings({ concurrency: 9 });
    expect((await station.getSettings({})).concurrency).toBe(9);
  });

  it('a broken settings file does not stop the engine; the problem is shown and logged without the token', async () => {
    const dataDir = await tempDir('zuc-data-');
    await writeFile(path.join(dataDir, SETTINGS_FILE_NAME), JSON.stringify({ sources: [{ kind: 'hawkbit', url: 'http://hb', tenant: '', token: TOKEN }] }));
    const lines: string[] = [];
    const engine = await startEngine({ dataDir, log: (line) => lines.push(line) });
    const view = await engine.getSettings({});
    expect(view.problem).toMatchObject({ code: E.BAD_CONFIG.code });
    expect(view.problem?.detail).toContain('sources.0.tenant');
    expect(lines.some((l) => l.includes(E.BAD_CONFIG.code))).toBe(true);
    expect(lines.join('\n')).not.toContain(TOKEN);
    // Everything else still works.
    expect(await engine.getSnapshot({})).toEqual({ devices: [], jobs: [] });
  });

  it('refuses a malformed request with a catalogued code', async () => {
    const engine = await startEngine({ log: () => undefined });
    await expect(engine.updateSettings({ language: 'fr' } as never)).rejects.toMatchObject({ code: E.SETTING_REFUSED.code });
  });
});

describe('trusted keys from settings', () => {
  it('a package signed by a key in the folder chosen in Settings flashes; before choosing it, the same package is refused', async () => {
    const publisher = generateKeyPair();
    const terminal = await startTerminal();
    const engine = await startEngine({ log: () => undefined });
    await engine.addDevice({ address: terminal.address });
    const pkg = await packageFile({ version: 'B02', keys: [publisher] });
    const file = path.join(await tempDir('zuc-pkg-'), 'MF286D_B02.zup');
    await writeFile(file, pkg.bytes);

    expect((await flash(engine, terminal.address, file)).report).toMatchObject({ result: 'failed', code: E.PACKAGE_UNTRUSTED_KEY.code, bytesSent: 0 });

    await engine.updateSettings({ trustedKeysFolder: await trustDirWith(publisher) });
    expect((await flash(engine, terminal.address, file)).report).toMatchObject({ result: 'success', toVersion: 'B02' });
  });
});
