import { describe, expect, it } from 'vitest';
import { createMainWindow, mainWindowOptions } from './main-window';
import { FakeApp, fakeBrowserWindowClass } from './fake-electron';

describe('console window', () => {
  it('isolates the page from Node and Electron', () => {
    const prefs = mainWindowOptions('/app/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('loads the built console page from disk and shows it only once painted', async () => {
    const BrowserWindow = fakeBrowserWindowClass(new FakeApp());
    const window = createMainWindow(BrowserWindow, { preloadPath: '/app/preload.cjs', indexHtmlPath: '/app/renderer/index.html' });
    const fake = BrowserWindow.created[0]!;
    expect(fake.options.show).toBe(false);
    expect(fake.options.webPreferences.sandbox).toBe(true);
    await expect.poll(() => fake.visible).toBe(true);
    expect(fake.loaded).toEqual(['/app/renderer/index.html']);
    expect(window.webContents.mainFrame.url).toBe('file:///app/renderer/index.html');
  });
});
