import { describe, expect, it } from 'vitest';
import { createConsoleStore } from './console-store';

describe('the terminal filter of the Troubleshoot log', () => {
  it('is set by a terminal’s “Open log”, which shows the Troubleshoot screen', () => {
    const store = createConsoleStore();
    expect(store.getState().logTerminal).toBeNull();
    store.getState().openTerminalLog('usb:19d2:1405:X');
    expect(store.getState().screen).toBe('troubleshoot');
    expect(store.getState().logTerminal).toBe('usb:19d2:1405:X');
  });

  it('is removed on its own, leaving the reader on the Troubleshoot screen', () => {
    const store = createConsoleStore();
    store.getState().openTerminalLog('tcp://a:1');
    store.getState().clearLogTerminal();
    expect(store.getState().logTerminal).toBeNull();
    expect(store.getState().screen).toBe('troubleshoot');
  });

  it('stays set while the reader visits another screen and comes back', () => {
    const store = createConsoleStore();
    store.getState().openTerminalLog('tcp://a:1');
    store.getState().showScreen('history');
    store.getState().showScreen('troubleshoot');
    expect(store.getState().logTerminal).toBe('tcp://a:1');
  });
});
