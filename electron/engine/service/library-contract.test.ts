import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_PACKAGE_BYTES } from '../../shared/contract';
import { E } from '../../shared/errors';
import { writeKeyPair } from '../package';
import { buildFirmwareSet, writeLibrary } from '../sources/source-fixtures';
import { createEngine } from './engine';
import { closeAfterTest, tempDir } from '../test-kit';

describe('the library methods of the contract', () => {
  it('list the sources in the settings, judged by the trusted keys folder chosen there, and import into the first library', async () => {
    const dir = await tempDir();
    const set = await buildFirmwareSet(16 * 1024);
    const library = path.join(dir, 'library');
    const keys = path.join(dir, 'keys');
    await writeLibrary(library, set);
    await writeKeyPair(keys, set.key);
    await fs.rm(path.join(keys, 'signing.key.pem'));
    const engine = closeAfterTest(createEngine({ dataDir: path.join(dir, 'data') }));

    // Nothing configured: an empty listing, and nowhere to import to.
    expect(await engine.listPackages({})).toEqual({ sources: [], packages: [], importFolder: null });
    await expect(engine.importPackage({ name: 'b04.zup', data: new Uint8Array(set.b04.bytes) })).rejects.toMatchObject({ code: E.LIBRARY_NOT_CONFIGURED.code });

    await engine.updateSettings({ sources: [{ kind: 'library', folder: library }] });
    let listing = await engine.listPackages({});
    expect(listing.importFolder).toBe(library);
    // The data folder's own trust store is empty: every signed package is untrusted until the keys folder is chosen.
    expect(listing.packages.find((p) => p.packageId === 'mf286d-b04')?.signature.status).toBe('untrusted');
    await engine.updateSettings({ trustedKeysFolder: keys });
    listing = await engine.listPackages({});
    expect(listing.packages.find((p) => p.packageId === 'mf286d-b04')?.signature.status).toBe('trusted');

    await fs.rm(path.join(library, 'mf286d', 'mf286d-b04.zup'));
    const imported = await engine.importPackage({ name: 'b04.zup', data: new Uint8Array(set.b04.bytes) });
    expect(imported.entry).toMatchObject({ source: `library:${library}`, location: 'mf286d-b04.zup', signature: { status: 'trusted' } });
    const details = await engine.getPackageDetails({ source: imported.entry.source, location: imported.entry.location });
    expect(details.fileSha256).toBe(set.b04.sha256);
  });

  it('refuses a request over the size limit before reading it', async () => {
    const engine = closeAfterTest(createEngine({ dataDir: path.join(await tempDir(), 'data') }));
    const data = new Uint8Array(16);
    // A stand-in for a file over the limit: allocating half a gigabyte would test the machine, not the check.
    Object.defineProperty(data, 'byteLength', { value: MAX_IMPORT_PACKAGE_BYTES + 1 });
    await expect(engine.importPackage({ name: 'huge.zup', data })).rejects.toMatchObject({ code: E.BAD_REQUEST.code });
    await expect(engine.getPackageDetails({ source: '', location: 'x' })).rejects.toMatchObject({ code: E.BAD_REQUEST.code });
  });
});
