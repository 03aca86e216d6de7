import { buildFirmwareImage } from '../firmware';
import { crc32 } from '../protocol/agent/crc32';

/**
 * Deterministic filler bytes for test firmware: the same seed gives the same
 * payload, so two images of one version are byte-identical.
 */
export function testPayload(size: number, seed: string): Uint8Array {
  const out = new Uint8Array(size);
  let x = crc32(new TextEncoder().encode(seed)) || 0x9e3779b9;
  for (let i = 0; i < size; i += 4) {
    // xorshift32: fast, and good enough to defeat accidental compression.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
    if (i + 1 < size) out[i + 1] = (x >>> 8) & 0xff;
    if (i + 2 < size) out[i + 2] = (x >>> 16) & 0xff;
    if (i + 3 < size) out[i + 3] = (x >>> 24) & 0xff;
  }
  return out;
}

export const DEFAULT_TEST_PAYLOAD_BYTES = 64 * 1024;

/** A valid firmware image with a filler payload, for simulated terminals, tests and demos. */
export function buildTestFirmware(spec: { model: string; hwRevision: string; version: string; payloadBytes?: number }): Uint8Array {
  const size = spec.payloadBytes ?? DEFAULT_TEST_PAYLOAD_BYTES;
  return buildFirmwareImage({ ...spec, payload: testPayload(size, `${spec.model}/${spec.hwRevision}/${spec.version}`) });
}
