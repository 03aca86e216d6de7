import type { StateCreator } from 'zustand';
import type { ConsoleState } from './console-state';

/** Whether the engine is reachable: the banner and the disabled buttons follow it. */
export type ConnectionStatus = 'connecting' | 'online' | 'lost';

export interface ConnectionSlice {
  connection: ConnectionStatus;
  setConnection(status: ConnectionStatus): void;
}

export const createConnectionSlice: StateCreator<ConsoleState, [], [], ConnectionSlice> = (set) => ({
  connection: 'connecting',
  setConnection: (connection) => set({ connection }),
});
