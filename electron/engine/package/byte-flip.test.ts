import { describe, expect, it } from 'vitest';
import { ZucError } from '../../shared/errors';
import { openPackage } from './open-package';
import { signedSample } from './package-fixtures';
import { trustStoreOf } from './trust-store';
import { verifyPackage } from './verify-package';

/** Opens and verifies; the catalogued code of the refusal, or 'accepted'. */
async function outcome(bytes: Uint8Array, trustStore: ReturnType<typeof trustStoreOf>): Promise<string> {
  try {
    const verdict = await verifyPackage(await openPackage(bytes), { trustStore });
    return verdict.ok ? 'accepted' : verdict.problems[0]!.code;
  } catch (err) {
    // Anything but a ZucError here is a crash the user would see.
    expect(err).toBeInstanceOf(ZucError);
    return (err as ZucError).code;
  }
}

describe('a signed package with one byte changed', () => {
  it('is refused wherever the change is, always with a package error code', async () => {
    const { key, bytes } = signedSample(600);
    const trustStore = trustStoreOf([key.publicKey]);
    expect(await outcome(bytes, trustStore)).toBe('accepted');
    const seen = new Map<string, number>();
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const copy = bytes.slice();
        copy[i] = copy[i]! ^ mask;
        const code = await outcome(copy, trustStore);
        if (code === 'accepted' || !code.startsWith('ZUC-50')) throw new Error(`byte ${i} ^ ${mask}: ${code}`);
        seen.set(code, (seen.get(code) ?? 0) + 1);
      }
    }
    // Every region of the container was exercised: header, manifest (signature), signature block, payload.
    expect([...seen.keys()]).toEqual(expect.arrayContaining(['ZUC-5005', 'ZUC-5006', 'ZUC-5003', 'ZUC-5014']));
  });
});
