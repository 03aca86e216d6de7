import { describe, expect, it } from 'vitest';
import { createConsoleStore } from './console-store';

describe('flash dialog state', () => {
  it('opens for one terminal from its row, or for the selection, with the technician’s choice marked', () => {
    const store = createConsoleStore();
    store.getState().openFlashDialog('tcp://127.0.0.1:1');
    expect(store.getState().flashDialog).toEqual({ addresses: ['tcp://127.0.0.1:1'], file: null, chosen: true });
    store.getState().closeFlashDialog();
    expect(store.getState().flashDialog).toBeNull();
  });

  it('keeps a file dropped on the Terminals screen for the dialog to read, listing every terminal unticked when none was selected', () => {
    const store = createConsoleStore();
    const file = new File([new Uint8Array([1, 2, 3])], 'MF286D_B02.zup');
    store.getState().openFlashDialog(['a', 'b'], { file, chosen: false });
    expect(store.getState().flashDialog).toEqual({ addresses: ['a', 'b'], file, chosen: false });
  });
});
