// Composition root of the Electron main process: the only file that imports
// 'electron'. Everything else takes these APIs as parameters.
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, screen, session, shell, utilityProcess } from 'electron';
import { desktopPaths } from './bundle-layout';
import { startDesktopApp } from './desktop-app';

const log = (line: string) => process.stderr.write(`zuc desktop: ${line}\n`);

startDesktopApp({ app, BrowserWindow, ipcMain, utilityProcess, session, shell, dialog, Menu, screen, Notification }, desktopPaths(import.meta.dirname), log).ready.catch(
  (err: unknown) => {
    log(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    app.exit(1);
  },
);
