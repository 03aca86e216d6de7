import { base64ToBytes, bytesToBase64 } from './base64';

/**
 * JSON text for links that carry text (WebSocket): byte arrays travel as
 * `{"$bytes": base64}`. Links with structured clone (Electron IPC) skip this.
 */
export function encodeJsonWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { $bytes: bytesToBase64(v) } : v));
}

/** Parses wire JSON; returns undefined when the text is not JSON. */
export function decodeJsonWire(text: string): unknown {
  try {
    return JSON.parse(text, (_key, v: unknown) => {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const keys = Object.keys(v);
        const b = (v as { $bytes?: unknown }).$bytes;
        if (keys.length === 1 && typeof b === 'string') return base64ToBytes(b) ?? v;
      }
      return v;
    });
  } catch {
    return undefined;
  }
}
