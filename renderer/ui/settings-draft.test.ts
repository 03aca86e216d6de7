import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../electron/shared/contract';
import { newSource, toDraft, toUpdate } from './settings-draft';

const view: SettingsView = {
  sources: [{ kind: 'hawkbit', url: 'https://hawkbit.example.com', tenant: 'DEFAULT', tokenKind: 'gateway', poll: true, hasToken: true }],
  trustedKeysFolder: null,
  concurrency: 4,
  serial: { baudRate: 115200 },
  language: 'en',
  tcpTerminals: [],
  file: '/data/settings.json',
  problem: null,
};

describe('the Settings form', () => {
  it('shows a hawkBit server’s poll switch and saves it as edited, keeping the stored token', () => {
    const draft = toDraft(view);
    expect(draft.sources[0]).toMatchObject({ kind: 'hawkbit', poll: true });
    expect(toUpdate(draft).sources).toEqual([{ kind: 'hawkbit', url: 'https://hawkbit.example.com', tenant: 'DEFAULT', tokenKind: 'gateway', poll: true }]);
    const switchedOff = { ...draft, sources: draft.sources.map((s) => (s.kind === 'hawkbit' ? { ...s, poll: false } : s)) };
    expect(toUpdate(switchedOff).sources).toEqual([{ kind: 'hawkbit', url: 'https://hawkbit.example.com', tenant: 'DEFAULT', tokenKind: 'gateway', poll: false }]);
  });

  it('adds a hawkBit server with background installs off until the technician switches them on', () => {
    expect(newSource('hawkbit')).toMatchObject({ kind: 'hawkbit', poll: false, tokenKind: 'gateway' });
  });
});
