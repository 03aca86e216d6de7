/** Host names under which the station is reached: it binds 127.0.0.1 only. */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost'] as const;

/** `Host` header values a request to the station may carry (refuses DNS-rebinding names). */
export function allowedHosts(port: number): Set<string> {
  return new Set(LOOPBACK_HOSTS.map((h) => `${h}:${port}`));
}

/** Origins the console page itself has; any other page must not drive the engine. */
export function allowedOrigins(port: number): Set<string> {
  return new Set(LOOPBACK_HOSTS.map((h) => `http://${h}:${port}`));
}

/**
 * Whether a WebSocket upgrade comes from the console page. Browsers always
 * send `Origin` on WebSocket handshakes, so a missing one is refused too:
 * it is never the console page.
 */
export function isOwnOrigin(origin: string | undefined, port: number): boolean {
  return origin !== undefined && allowedOrigins(port).has(origin.toLowerCase());
}

export function isOwnHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).has(host.toLowerCase());
}
