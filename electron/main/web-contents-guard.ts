import type { ShellPort, WebContentsPort } from './electron-ports';
import { isAllowedExternalUrl } from './external-links';

export interface GuardOptions {
  shell: ShellPort;
  /** Hosts that may be opened in the user's browser; defaults to EXTERNAL_LINK_HOSTS. */
  externalHosts?: readonly string[];
  /** Where refused navigations are reported (the main log). */
  log?: (line: string) => void;
}

/**
 * Keeps a web contents on the page it was given: no navigation, no redirect,
 * no new window, no <webview>. A link to an allow-listed https host opens in
 * the user's browser instead; anything else is dropped and logged.
 * Applied to every web contents the app creates, not only the main window.
 */
export function guardWebContents(contents: WebContentsPort, options: GuardOptions): void {
  const log = options.log ?? (() => {});
  const openOutside = (url: string, what: string) => {
    if (isAllowedExternalUrl(url, options.externalHosts)) {
      void options.shell.openExternal(url).catch((err: unknown) => log(`could not open ${url} in the browser: ${String(err)}`));
    } else {
      log(`blocked ${what} to ${url}`);
    }
  };
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    openOutside(event.url, 'navigation');
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    log(`blocked redirect to ${event.url}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url, 'new window');
    return { action: 'deny' };
  });
}
