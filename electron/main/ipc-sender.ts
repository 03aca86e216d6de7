import { isOwnPageUrl } from './app-origin';
import type { InvokeEventPort, WindowPort } from './electron-ports';

/**
 * Whether an IPC message comes from the console itself: the main frame (not
 * an iframe) of our window's web contents, showing our own file:// page.
 * A frame that navigated away or was destroyed is not trusted.
 */
export function isConsoleFrame(event: InvokeEventPort, window: WindowPort | null, rendererDir: string): boolean {
  if (!window || window.isDestroyed()) return false;
  const contents = window.webContents;
  if (contents.isDestroyed() || event.sender.id !== contents.id) return false;
  const frame = event.senderFrame;
  if (!frame || frame.detached || frame.parent !== null) return false;
  const main = contents.mainFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isOwnPageUrl(frame.url, rendererDir);
}
