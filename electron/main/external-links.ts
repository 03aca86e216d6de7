/**
 * Hosts the console may open in the user's browser (documentation, support).
 * Only https, only these exact hosts: a link in a device log or a firmware
 * name must not become a way to launch arbitrary URLs or local programs.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['www.zte.com.cn', 'support.zte.com.cn', 'www.ztedevices.com'];

export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && hosts.includes(parsed.hostname);
}
