import { describe, expect, it } from 'vitest';
import type { CompatibilityIssue } from '../../electron/shared/contract';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { issueText } from './compatibility-text';

const issue = (over: Partial<CompatibilityIssue>): CompatibilityIssue => ({ kind: 'wrong-model', severity: 'error', terminal: 'MF971R', image: 'MF286D', error: null, ...over });

describe('compatibility issue sentences', () => {
  it('names both sides of a wrong model, in either language', () => {
    expect(issueText(issue({}), en)).toBe('Wrong model: the terminal is MF971R, the file is for MF286D.');
    expect(issueText(issue({}), zhCN)).toBe('型号不符：终端是 MF971R，文件适用于 MF286D。');
  });

  it('gives sizes in binary units for an image too large for the slot', () => {
    expect(issueText(issue({ kind: 'too-large', terminal: String(8 * 1024 * 1024), image: String(9 * 1024 * 1024) }), en)).toBe(
      'Too large: the image (9.0 MiB) does not fit the terminal’s slot (8.0 MiB).',
    );
  });
});
