import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E, ZucError } from '../../shared/errors';
import { tempDir } from '../test-kit';
import { SETTINGS_FILE_NAME, SettingsStore } from './index';

const TOKEN = 'gw-Secret-7f3a9c';

async function store(): Promise<{ dir: string; settings: SettingsStore; lines: string[] }> {
  const dir = await tempDir('zuc-settings-');
  const lines: string[] = [];
  return { dir, settings: new SettingsStore(dir, (line) => lines.push(line)), lines };
}

const fleet = {
  sources: [
    { kind: 'library' as const, folder: '/srv/firmware' },
    { kind: 'catalog' as const, url: 'https://cdn.example.com/zte/index.json' },
    { kind: 'hawkbit' as const, url: 'https://hawkbit.example.com', tenant: 'DEFAULT', token: TOKEN },
  ],
  concurrency: 8,
  serial: { baudRate: 921600 as const },
  language: 'zh-CN' as const,
  tcpTerminals: ['tcp://10.0.0.7:5600'],
};

describe('settings file', () => {
  it('starts with defaults when there is no file', async () => {
    const { settings } = await store();
    expect(settings.view()).toMatchObject({ sources: [], concurrency: 4, serial: { baudRate: 115200 }, language: 'en', problem: null });
  });

  it('keeps what was saved across a restart, sources in their order', async () => {
    const { dir, settings } = await store();
    await settings.update(fleet);
    const again = new SettingsStore(dir, () => undefined);
    expect(again.view()).toMatchObject({
      sources: [
        { kind: 'library', folder: '/srv/firmware' },
        { kind: 'catalog', url: 'https://cdn.example.com/zte/index.json' },
        { kind: 'hawkbit', url: 'https://hawkbit.example.com', tenant: 'DEFAULT', tokenKind: 'gateway', hasToken: true },
      ],
      concurrency: 8,
      serial: { baudRate: 921600 },
      language: 'zh-CN',
      tcpTerminals: ['tcp://10.0.0.7:5600'],
      problem: null,
    });
    expect(again.current().sources[2]).toMatchObject({ token: TOKEN });
    // Written atomically: no temp file left beside it.
    expect(await readdir(dir)).toEqual([SETTINGS_FILE_NAME]);
  });

  it('creates the data folder on first save, and two saves at once both land', async () => {
    const dir = path.join(await tempDir('zuc-settings-'), 'new', 'data');
    const first = new SettingsStore(dir, () => undefined);
    const second = new SettingsStore(dir, () => undefined);
    await Promise.all([first.update({ concurrency: 5 }), second.update({ language: 'zh-CN' })]);
    expect(new SettingsStore(dir, () => undefined).view().problem).toBeNull();
    expect(await readdir(dir)).toEqual([SETTINGS_FILE_NAME]);
  });

  it('stores the file readable by its owner only', async () => {
    const { settings } = await store();
    const old = process.umask(0o022);
    try {
      await settings.update(fleet);
    } finally {
      process.umask(old);
    }
    expect((await stat(settings.file)).mode & 0o777).toBe(0o600);
  });

  it('never hands the token to the user interface, and keeps it when the UI saves without it', async () => {
    const { settings } = await store();
    const changed: string[] = [];
    settings.onChanged((view) => changed.push(JSON.stringify(view)));
    const saved = await settings.update(fleet);
    expect(JSON.stringify(saved)).not.toContain(TOKEN);
    expect(JSON.stringify(settings.view())).not.toContain(TOKEN);
    expect(changed).toHaveLength(1);
    expect(changed[0]).not.toContain(TOKEN);

    // The UI sends back what it was shown: no token field at all.
    const { hasToken: _shown, ...hawkbit } = saved.sources[2] as { kind: 'hawkbit'; hasToken: boolean; url: string; tenant: string };
    await settings.update({ sources: [{ ...hawkbit, kind: 'hawkbit' }], concurrency: 2 });
    expect(settings.current().sources).toEqual([{ kind: 'hawkbit', url: 'https://hawkbit.example.com', tenant: 'DEFAULT', tokenKind: 'gateway', poll: false, token: TOKEN }]);

    await settings.update({ sources: [{ ...hawkbit, kind: 'hawkbit', token: null }] });
    expect(settings.view().sources[0]).toMatchObject({ hasToken: false });
    expect(await readFile(settings.file, 'utf8')).not.toContain(TOKEN);
  });

  it('refuses a bad change naming the field, keeps the settings in force and never echoes a token', async () => {
    const { settings } = await store();
    await settings.update(fleet);
    const before = await readFile(settings.file, 'utf8');
    const bad = { sources: [{ kind: 'hawkbit', url: 'ftp://h', tenant: 'T', token: `${TOKEN} with spaces` }], concurrency: 0 };
    const error = await settings.update(bad).catch((err: unknown) => err as ZucError);
    expect(error).toBeInstanceOf(ZucError);
    expect((error as ZucError).code).toBe(E.SETTING_REFUSED.code);
    expect((error as ZucError).detail).toMatch(/sources\.0\.url/);
    expect((error as ZucError).detail).toMatch(/sources\.0\.token/);
    expect((error as ZucError).detail).toMatch(/concurrency/);
    expect((error as ZucError).message).not.toContain(TOKEN);
    expect(await readFile(settings.file, 'utf8')).toBe(before);
    expect(settings.view().concurrency).toBe(8);
  });
});

describe('two console processes on one data folder', () => {
  it('each keeps the change the other saved', async () => {
    const { dir, settings: desktop } = await store();
    const station = new SettingsStore(dir, () => undefined);
    await desktop.update({ concurrency: 6 });
    await station.update({ language: 'zh-CN' });
    expect(station.view()).toMatchObject({ concurrency: 6, language: 'zh-CN' });
    expect(new SettingsStore(dir, () => undefined).view()).toMatchObject({ concurrency: 6, language: 'zh-CN' });
    expect(desktop.reload()).toMatchObject({ concurrency: 6, language: 'zh-CN' });
  });
});

describe('a settings file the console refuses', () => {
  it('runs with defaults, names the field, and leaves the file as the user wrote it', async () => {
    const dir = await tempDir('zuc-settings-');
    const file = path.join(dir, SETTINGS_FILE_NAME);
    const text = JSON.stringify({ concurrency: 0, language: 'fr', sources: [{ kind: 'hawkbit', url: 'https://h', tenant: 'T', token: TOKEN }] });
    await writeFile(file, text);
    const lines: string[] = [];
    const settings = new SettingsStore(dir, (line) => lines.push(line));
    const view = settings.view();
    expect(view.problem?.code).toBe(E.BAD_CONFIG.code);
    expect(view.problem?.detail).toMatch(/concurrency/);
    expect(view.problem?.detail).toMatch(/language/);
    expect(view).toMatchObject({ concurrency: 4, language: 'en', sources: [] });
    expect(lines.join('\n')).toContain(E.BAD_CONFIG.code);
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('says where broken JSON is without quoting it (it may hold a token)', async () => {
    const dir = await tempDir('zuc-settings-');
    await writeFile(path.join(dir, SETTINGS_FILE_NAME), `{\n  "sources": [{ "kind": "hawkbit", "token": "${TOKEN}" ]\n}`);
    const lines: string[] = [];
    const view = new SettingsStore(dir, (line) => lines.push(line)).view();
    expect(view.problem?.code).toBe(E.BAD_CONFIG.code);
    expect(view.problem?.detail).toMatch(/not valid JSON at line 2, column \d+/);
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('is kept beside the new file when the user saves settings over it', async () => {
    const dir = await tempDir('zuc-settings-');
    await writeFile(path.join(dir, SETTINGS_FILE_NAME), '{"concurrency": "many"}');
    const settings = new SettingsStore(dir, () => undefined);
    const view = await settings.update({ concurrency: 3 });
    expect(view).toMatchObject({ concurrency: 3, problem: null });
    const files = await readdir(dir);
    const kept = files.find((f) => f.startsWith(`${SETTINGS_FILE_NAME}.refused-`));
    expect(kept).toBeDefined();
    expect(await readFile(path.join(dir, kept!), 'utf8')).toBe('{"concurrency": "many"}');
  });
});
