import { describe, expect, it } from 'vitest';
import { fieldProblem, refusedFields } from './settings-errors';

describe('fields named by a refused settings change', () => {
  it('reads the station’s and the engine’s wording alike', () => {
    expect(refusedFields('updateSettings: concurrency: Too big; sources.1.url: expected an http:// address')).toEqual({
      concurrency: 'Too big',
      'sources.1.url': 'expected an http:// address',
    });
    expect(refusedFields('serial.baudRate: Invalid input')).toEqual({ 'serial.baudRate': 'Invalid input' });
  });
  it('finds a nested field’s problem under its parent and not under a sibling', () => {
    const fields = refusedFields('sources.1.url: bad');
    expect(fieldProblem(fields, 'sources.1')).toBe('bad');
    expect(fieldProblem(fields, 'sources.10')).toBeUndefined();
  });
});
