import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from '../e2e/browser';
import { BUNDLE_FILES } from '../electron/main/bundle-layout';
import { CONTENT_SECURITY_POLICY } from '../electron/main/content-security-policy';
import { bundle, copyRenderer, desktopTargets, withCspMeta } from './build-desktop';

const root = path.resolve(import.meta.dirname, '..');
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'zuc-desktop-build-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

function target(fileName: string) {
  const found = desktopTargets(root).find((t) => t.fileName === fileName);
  if (!found) throw new Error(`no bundle target ${fileName}`);
  return found;
}

describe('desktop bundle', () => {
  it('makes the preload one script that needs nothing but Electron, and exposes only window.zuc', async () => {
    await bundle(root, outDir, target(BUNDLE_FILES.preload));
    const code = await readFile(path.join(outDir, BUNDLE_FILES.preload), 'utf8');
    const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/^\s*import\s/m);

    // Run it the way a sandboxed preload runs: a classic script whose require knows only 'electron'.
    const exposed = new Map<string, unknown>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: { invoke: async () => undefined, on: () => undefined },
    };
    const sandboxRequire = (name: string) => {
      if (name !== 'electron') throw new Error(`module not found: ${name}`);
      return electron;
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });
    expect([...exposed.keys()]).toEqual(['zuc']);
    expect(typeof (exposed.get('zuc') as { getSnapshot?: unknown }).getSnapshot).toBe('function');
  });

  it('keeps native modules and Electron out of the main bundle', async () => {
    await bundle(root, outDir, target(BUNDLE_FILES.main));
    const code = await readFile(path.join(outDir, BUNDLE_FILES.main), 'utf8');
    expect(code).toMatch(/^import \{[^}]*\bBrowserWindow\b[^}]*\} from "electron";$/m);
    expect(code).not.toMatch(/\brequire\(/);
  });
});

describe('console page under the desktop content security policy', () => {
  it('puts the policy in the page, after the charset', () => {
    const html = withCspMeta('<!doctype html><html><head>\n<meta charset="UTF-8" />\n<title>x</title></head><body></body></html>');
    expect(html).toContain(`<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`);
    expect(withCspMeta(html)).toBe(html);
  });

  it('renders the built renderer from file:// with no policy violation', async () => {
    const rendererDist = path.join(outDir, 'renderer-dist');
    await build({ root: path.join(root, 'renderer'), logLevel: 'warn', build: { outDir: rendererDist, emptyOutDir: true } });
    await copyRenderer(rendererDist, outDir);

    // Electron loads module scripts from file://; plain Chromium needs this flag to do the same.
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      // Stands in for the preload: the page finds `window.zuc` and shows an empty console.
      await page.addInitScript({
        content: `{
          const none = () => ({ dispose() {} });
          window.zuc = {
            getSnapshot: async () => ({ devices: [], jobs: [] }),
            listHistory: async () => [],
            listErrors: async () => [],
            onDeviceChanged: none, onDeviceRemoved: none, onJobChanged: none, onJobLog: none,
          };
        }`,
      });
      await page.goto(new URL(`file://${path.join(outDir, BUNDLE_FILES.rendererDir, 'index.html')}`).href);
      await page.getByText('Terminals', { exact: true }).first().waitFor({ timeout: 10_000 });
      const background = await page.evaluate<string>("getComputedStyle(document.querySelector('header') ?? document.body).backgroundColor");
      expect(background).not.toBe('rgba(0, 0, 0, 0)');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
