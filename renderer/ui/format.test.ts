import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatElapsed } from './format';

describe('sizes and durations as the console shows them', () => {
  it('shows sizes in binary units with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 * 1024 + 128)).toBe('3.0 MiB');
    expect(formatBytes(512 * 1024 * 1024)).toBe('512 MiB');
  });

  it('shows durations in ms, seconds, or minutes and seconds', () => {
    expect(formatDuration(7)).toBe('7 ms');
    expect(formatDuration(2140)).toBe('2.1 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
  });

  it('counts a running step in whole seconds', () => {
    expect(formatElapsed(999)).toBe('0 s');
    expect(formatElapsed(42_500)).toBe('42 s');
    expect(formatElapsed(185_400)).toBe('3 min 05 s');
  });
});
