import os from 'node:os';
import path from 'node:path';

/** Folder name of the app's user data; Electron's `app.setName` uses the same. */
export const APP_DIR_NAME = 'zte-update-console';

/**
 * The user data folder shared by the desktop app, the station and the CLI,
 * so all three see one history. `ZUC_DATA_DIR` overrides it (tests, kiosks).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.ZUC_DATA_DIR) return path.resolve(env.ZUC_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}
