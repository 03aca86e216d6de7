import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareElectronNativeModules } from './electron-native';

let tmp: string;
let root: string;
let appDir: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zuc-electron-native-'));
  root = path.join(tmp, 'repo');
  appDir = path.join(root, '.build', 'desktop');
  const pkg = path.join(root, 'node_modules', 'better-sqlite3');
  await mkdir(path.join(pkg, 'build', 'Release'), { recursive: true });
  await writeFile(path.join(pkg, 'package.json'), '{"name":"better-sqlite3"}');
  await writeFile(path.join(pkg, 'build', 'Release', 'better_sqlite3.node'), 'built for node');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A stand-in for prebuild-install: records its arguments, then does what `behaviour` says. */
async function tool(behaviour: string): Promise<string> {
  const file = path.join(tmp, 'prebuild-install.cjs');
  await writeFile(
    file,
    `const fs = require('node:fs');
     fs.appendFileSync(${JSON.stringify(path.join(tmp, 'calls'))}, process.cwd() + ' ' + process.argv.slice(2).join(' ') + '\\n');
     ${behaviour}`,
  );
  return file;
}

describe('Electron builds of native modules', () => {
  it('copies the package next to the app and fetches the Electron binary there, leaving node_modules alone', async () => {
    const prebuildInstall = await tool(
      `fs.mkdirSync('build/Release', { recursive: true }); fs.writeFileSync('build/Release/better_sqlite3.node', 'built for electron');`,
    );
    const outcome = await prepareElectronNativeModules({ root, appDir, electronVersion: '41.7.1', arch: 'x64', prebuildInstall });
    expect(outcome).toEqual({ ok: true });
    const copy = path.join(appDir, 'node_modules', 'better-sqlite3');
    expect(await readFile(path.join(copy, 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe('built for electron');
    expect(await readFile(path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe('built for node');
    expect(await readFile(path.join(tmp, 'calls'), 'utf8')).toBe(`${copy} --runtime electron --target 41.7.1 --arch x64\n`);

    // Started again with the same Electron: nothing is fetched again.
    await prepareElectronNativeModules({ root, appDir, electronVersion: '41.7.1', arch: 'x64', prebuildInstall });
    expect((await readFile(path.join(tmp, 'calls'), 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('says why when no binary can be fetched, and leaves no half copy behind', async () => {
    const prebuildInstall = await tool(`console.error('prebuild-install warn install getaddrinfo ENOTFOUND github.com'); process.exit(1);`);
    const outcome = await prepareElectronNativeModules({ root, appDir, electronVersion: '41.7.1', prebuildInstall });
    expect(outcome).toEqual({ ok: false, reason: 'better-sqlite3 for Electron 41.7.1: install getaddrinfo ENOTFOUND github.com' });
    expect(existsSync(path.join(appDir, 'node_modules', 'better-sqlite3'))).toBe(false);
  });
});
