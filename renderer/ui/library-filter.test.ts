import { describe, expect, it } from 'vitest';
import type { LibraryEntry } from '../../electron/shared/contract';
import { filterLibrary, modelsOf, NO_LIBRARY_FILTER } from './library-filter';

function entry(location: string, fields: Partial<LibraryEntry> = {}): LibraryEntry {
  return {
    source: 'library:/srv/fw',
    location,
    sourceKind: 'library',
    assignedTo: null,
    packageId: location.replace(/\.zup$/, ''),
    models: ['MF286D'],
    hwRevisions: ['V1.0'],
    version: '1.3.0',
    type: 'full',
    baseVersion: null,
    baseSha256: null,
    size: 1024,
    signature: { status: 'trusted', signers: [{ keyId: '0123456789abcdef', status: 'trusted' }], error: null },
    ...fields,
  };
}

const ROWS = [
  entry('broken.zup', { packageId: null, models: [], version: null, signature: { status: 'invalid', signers: [], error: { code: 'ZUC-5007', title: '', cause: '', remedy: '', retryable: false, detail: '' } } }),
  entry('mf971r-1.1.0.zup', { models: ['MF971R'], version: '1.1.0' }),
  entry('mf286d-1.3.0.zup'),
  entry('mf286d-1.2.0-1.3.0.zup', { type: 'delta', baseVersion: '1.2.0', signature: { status: 'untrusted', signers: [{ keyId: 'feedfacecafebeef', status: 'unknown' }], error: null } }),
];

describe('library filter', () => {
  it('groups packages by model and id and puts unreadable files last', () => {
    expect(filterLibrary(ROWS, NO_LIBRARY_FILTER).map((e) => e.location)).toEqual(['mf286d-1.2.0-1.3.0.zup', 'mf286d-1.3.0.zup', 'mf971r-1.1.0.zup', 'broken.zup']);
    expect(modelsOf(ROWS)).toEqual(['MF286D', 'MF971R']);
  });

  it('narrows by model, signature status and words found in id, base version, key id or code', () => {
    expect(filterLibrary(ROWS, { ...NO_LIBRARY_FILTER, model: 'MF971R' }).map((e) => e.location)).toEqual(['mf971r-1.1.0.zup']);
    expect(filterLibrary(ROWS, { ...NO_LIBRARY_FILTER, signature: 'untrusted' }).map((e) => e.location)).toEqual(['mf286d-1.2.0-1.3.0.zup']);
    expect(filterLibrary(ROWS, { ...NO_LIBRARY_FILTER, text: 'FEEDFACE' }).map((e) => e.location)).toEqual(['mf286d-1.2.0-1.3.0.zup']);
    expect(filterLibrary(ROWS, { ...NO_LIBRARY_FILTER, text: 'mf286d 1.2.0' }).map((e) => e.location)).toEqual(['mf286d-1.2.0-1.3.0.zup']);
    expect(filterLibrary(ROWS, { ...NO_LIBRARY_FILTER, text: 'zuc-5007' }).map((e) => e.location)).toEqual(['broken.zup']);
  });
});
