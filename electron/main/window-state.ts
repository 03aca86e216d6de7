import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Rectangle, WindowPort } from './electron-ports';
import { MAIN_WINDOW_MIN_SIZE } from './main-window';

/** In the user data folder, next to Electron's own files. */
export const WINDOW_STATE_FILE = 'window-state.json';
/** Larger than any display wall a bench has; a bigger number is a corrupted file. */
const MAX_WINDOW_PX = 16_384;
/** How much of the window's top edge must be on a display for the user to grab it. */
const MIN_VISIBLE_PX = 64;

const Coordinate = z.number().int().min(-MAX_WINDOW_PX).max(MAX_WINDOW_PX);
export const WindowStateSchema = z.object({
  x: Coordinate,
  y: Coordinate,
  width: z.number().int().min(MAIN_WINDOW_MIN_SIZE.width).max(MAX_WINDOW_PX),
  height: z.number().int().min(MAIN_WINDOW_MIN_SIZE.height).max(MAX_WINDOW_PX),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

/** Whether enough of the window's title bar lies on one of the displays to be seen and dragged. */
function onSomeDisplay(state: WindowState, workAreas: readonly Rectangle[]): boolean {
  return workAreas.some((area) => {
    const left = Math.max(state.x, area.x);
    const right = Math.min(state.x + state.width, area.x + area.width);
    const top = state.y;
    return right - left >= MIN_VISIBLE_PX && top >= area.y && top <= area.y + area.height - MIN_VISIBLE_PX;
  });
}

/**
 * The window's size and place from the last run, or null for the defaults:
 * when there is no file, it is not valid JSON of the expected shape, or the
 * window would open off every display (a monitor unplugged since).
 */
export function readWindowState(userDataDir: string, workAreas: readonly Rectangle[], log: (line: string) => void = () => {}): WindowState | null {
  const file = path.join(userDataDir, WINDOW_STATE_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    log(`${file} is not JSON; the window opens at its default size`);
    return null;
  }
  const state = WindowStateSchema.safeParse(parsed);
  if (!state.success) {
    log(`${file} does not describe a window (${state.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); the window opens at its default size`);
    return null;
  }
  if (!onSomeDisplay(state.data, workAreas)) {
    log(`the saved window position ${state.data.x},${state.data.y} is off every display; the window opens at its default place`);
    return null;
  }
  return state.data;
}

/** Written whole to a temporary file first, so a crash mid-write leaves the old state, not half a file. */
export function saveWindowState(userDataDir: string, state: WindowState): void {
  const file = path.join(userDataDir, WINDOW_STATE_FILE);
  mkdirSync(userDataDir, { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The state to remember: the normal bounds of a maximized window, so restoring it later has a sensible size. */
export function windowStateOf(window: WindowPort): WindowState {
  const maximized = window.isMaximized();
  const bounds = maximized ? window.getNormalBounds() : window.getBounds();
  return {
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.max(MAIN_WINDOW_MIN_SIZE.width, Math.round(bounds.width)),
    height: Math.max(MAIN_WINDOW_MIN_SIZE.height, Math.round(bounds.height)),
    maximized,
  };
}
