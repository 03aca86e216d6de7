import { describe, expect, it } from 'vitest';
import type { MenuItemSpec } from './electron-ports';
import { appMenuTemplate, SUPPORT_URL } from './app-menu';
import { FakeShell } from './fake-electron';

function flatten(items: MenuItemSpec[]): MenuItemSpec[] {
  return items.flatMap((item) => [item, ...flatten(item.submenu ?? [])]);
}

describe('application menu', () => {
  it('offers developer tools only in a development build', () => {
    const dev = flatten(appMenuTemplate({ shell: new FakeShell(), isPackaged: false, platform: 'linux' }));
    const installed = flatten(appMenuTemplate({ shell: new FakeShell(), isPackaged: true, platform: 'linux' }));
    expect(dev.some((i) => i.role === 'toggleDevTools')).toBe(true);
    expect(installed.some((i) => i.role === 'toggleDevTools')).toBe(false);
  });

  it('has the edit shortcuts the text fields need and a way to quit', () => {
    const roles = flatten(appMenuTemplate({ shell: new FakeShell(), isPackaged: true, platform: 'win32' })).map((i) => i.role);
    expect(roles).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo', 'quit']));
    const mac = appMenuTemplate({ shell: new FakeShell(), isPackaged: true, platform: 'darwin' });
    expect(mac[0]).toEqual({ role: 'appMenu' });
  });

  it('has window controls, the system’s own Window menu on macOS', () => {
    const linux = appMenuTemplate({ shell: new FakeShell(), isPackaged: true, platform: 'linux' });
    expect(linux.find((m) => m.label === 'Window')?.submenu?.map((i) => i.role)).toEqual(['minimize', 'close']);
    const mac = appMenuTemplate({ shell: new FakeShell(), isPackaged: true, platform: 'darwin' });
    expect(mac.some((m) => m.role === 'windowMenu')).toBe(true);
  });

  it('opens ZTE support in the user browser', async () => {
    const shell = new FakeShell();
    const help = flatten(appMenuTemplate({ shell, isPackaged: true, platform: 'linux' })).find((i) => i.label === 'ZTE support website');
    help!.click!();
    await expect.poll(() => shell.opened).toEqual([SUPPORT_URL]);
  });
});
