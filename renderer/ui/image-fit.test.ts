import { describe, expect, it } from 'vitest';
import type { StagedImage, TerminalInfo } from '../../electron/shared/contract';
import { t } from '../i18n/en';
import { imageFitProblems } from './image-fit';

const terminal: TerminalInfo = {
  address: 'tcp://127.0.0.1:5600',
  transport: 'tcp',
  model: 'MF286D',
  hwRevision: 'V1.0',
  serial: 'ZTE286D0001',
  firmwareVersion: '1.2.0',
  activeSlot: 'a',
  slots: { a: { version: '1.2.0', state: 'good', triesLeft: 0 }, b: { version: '', state: 'empty', triesLeft: 0 } },
  slotSize: 8 * 1024 * 1024,
  agentVersion: 1,
};

function image(overrides: Partial<StagedImage>): StagedImage {
  return { id: 'i1', name: 'fw.bin', size: 3 * 1024 * 1024, sha256: 'a'.repeat(64), model: 'MF286D', hwRevision: 'V1.0', version: '1.3.0', ...overrides };
}

describe('warnings in the flash dialog before a flash starts', () => {
  it('has none for an image made for this model and revision that fits the slot', () => {
    expect(imageFitProblems(image({}), terminal)).toEqual([]);
  });

  it('names both sides when the model or the hardware revision differs', () => {
    expect(imageFitProblems(image({ model: 'MF920V' }), terminal)).toEqual([t.flash.modelMismatch('MF920V rev V1.0', 'MF286D rev V1.0')]);
    expect(imageFitProblems(image({ hwRevision: 'V2.0' }), terminal)).toEqual([t.flash.modelMismatch('MF286D rev V2.0', 'MF286D rev V1.0')]);
  });

  it('warns about a file without a firmware header and about an image larger than the slot', () => {
    const problems = imageFitProblems(image({ model: null, hwRevision: null, version: null, size: 9 * 1024 * 1024 }), terminal);
    expect(problems).toEqual([t.flash.noImageHeader, t.flash.tooLargeForSlot('9.0 MiB', '8.0 MiB')]);
  });
});
