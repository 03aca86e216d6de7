import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeApp, fakeBrowserWindowClass } from './fake-electron';
import { readWindowState, saveWindowState, WINDOW_STATE_FILE, windowStateOf } from './window-state';

const DISPLAY = [{ x: 0, y: 0, width: 1920, height: 1040 }];
let dir: string;
let logged: string[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'zuc-window-state-'));
  logged = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const read = (displays = DISPLAY) => readWindowState(dir, displays, (line) => logged.push(line));

describe('remembered window state', () => {
  it('reads back what was saved', () => {
    saveWindowState(dir, { x: 100, y: 50, width: 1400, height: 900, maximized: true });
    expect(read()).toEqual({ x: 100, y: 50, width: 1400, height: 900, maximized: true });
  });

  it('saves the normal bounds of a maximized window, so un-maximizing later restores a real size', async () => {
    const window = new (fakeBrowserWindowClass(new FakeApp()))({ x: 200, y: 120, width: 1100, height: 700 } as never);
    window.maximize();
    saveWindowState(dir, windowStateOf(window));
    expect(JSON.parse(await readFile(path.join(dir, WINDOW_STATE_FILE), 'utf8'))).toEqual({ x: 200, y: 120, width: 1100, height: 700, maximized: true });
  });

  it('falls back to the defaults when there is no file, or it is corrupted', async () => {
    expect(read()).toBeNull();
    await writeFile(path.join(dir, WINDOW_STATE_FILE), '{"x": 10, "y":');
    expect(read()).toBeNull();
    expect(logged.at(-1)).toMatch(/is not JSON/);
    await writeFile(path.join(dir, WINDOW_STATE_FILE), JSON.stringify({ x: 10, y: 10, width: 12, height: 'tall', maximized: false }));
    expect(read()).toBeNull();
    expect(logged.at(-1)).toMatch(/width: .*height: /);
  });

  it('falls back to the defaults when the window would open off every display (a monitor unplugged since)', () => {
    saveWindowState(dir, { x: 2500, y: 100, width: 1280, height: 800, maximized: false });
    expect(read()).toBeNull();
    expect(logged.at(-1)).toMatch(/off every display/);
    // With the second monitor plugged in again it opens there.
    expect(read([...DISPLAY, { x: 1920, y: 0, width: 2560, height: 1400 }])).toMatchObject({ x: 2500 });
    // A title bar above the top edge could never be grabbed.
    saveWindowState(dir, { x: 100, y: -300, width: 1280, height: 800, maximized: false });
    expect(read()).toBeNull();
  });
});
