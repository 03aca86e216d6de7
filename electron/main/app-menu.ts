import type { MenuItemSpec, MenuPort, ShellPort } from './electron-ports';
import { isAllowedExternalUrl } from './external-links';
import { SHELL_TEXT, type ShellText } from './shell-text';

export const SUPPORT_URL = 'https://support.zte.com.cn/';

/**
 * The window's menu: edit shortcuts for the text fields, zoom for bench
 * screens, window controls, and a link to ZTE support. Developer tools only in a
 * development build, where a support engineer may need them.
 */
export function appMenuTemplate(options: { shell: ShellPort; isPackaged: boolean; platform: NodeJS.Platform; text?: ShellText['menu'] }): MenuItemSpec[] {
  // Electron names the role items (Copy, Paste…) itself; these are the console's own labels.
  const text = options.text ?? SHELL_TEXT.en.menu;
  const view: MenuItemSpec[] = [{ role: 'reload' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (!options.isPackaged) view.push({ type: 'separator' }, { role: 'toggleDevTools' });
  return [
    ...(options.platform === 'darwin' ? [{ role: 'appMenu' } as const] : [{ label: text.file, submenu: [{ role: 'quit' } as const] }]),
    { label: text.edit, submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: text.view, submenu: view },
    // macOS builds its Window menu itself (the window list, Bring All to Front).
    options.platform === 'darwin' ? { role: 'windowMenu' } : { label: text.window, submenu: [{ role: 'minimize' }, { role: 'close' }] },
    {
      label: text.help,
      submenu: [
        {
          label: text.supportWebsite,
          click: () => {
            if (isAllowedExternalUrl(SUPPORT_URL)) void options.shell.openExternal(SUPPORT_URL);
          },
        },
      ],
    },
  ];
}

export function installAppMenu(menu: MenuPort, options: Parameters<typeof appMenuTemplate>[0]): void {
  menu.setApplicationMenu(menu.buildFromTemplate(appMenuTemplate(options)));
}
