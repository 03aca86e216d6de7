import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The console's version from its package.json, found by walking up from this
 * file (source tree, bundled app and tests alike); 'unknown' if none is found.
 */
export function consoleVersion(start: string = import.meta.dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'zte-update-console' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No (readable) package.json here: keep walking up.
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
