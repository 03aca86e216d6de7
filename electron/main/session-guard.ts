import type { SessionPort } from './electron-ports';
import { withContentSecurityPolicy } from './content-security-policy';

/**
 * The console asks the browser for nothing: devices are reached by the
 * engine, not through WebUSB/WebSerial/WebHID, so every permission request
 * and check is refused. Every response gets our CSP header (the built
 * index.html carries the same policy as a meta tag, for file:// loads).
 */
export function guardSession(session: SessionPort): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}
