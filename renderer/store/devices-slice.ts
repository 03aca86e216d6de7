import type { StateCreator } from 'zustand';
import type { DeviceView } from '../../electron/shared/contract';
import type { ConsoleState } from './console-state';

export interface DevicesSlice {
  /** Terminals by address, as the engine last reported them. */
  devices: Record<string, DeviceView>;
  /** Addresses in the order the terminals were first seen. */
  deviceOrder: string[];
  applyDevice(device: DeviceView): void;
  removeDevice(address: string): void;
}

export const createDevicesSlice: StateCreator<ConsoleState, [], [], DevicesSlice> = (set) => ({
  devices: {},
  deviceOrder: [],
  applyDevice: (device) =>
    set((s) => ({
      devices: { ...s.devices, [device.address]: device },
      deviceOrder: s.deviceOrder.includes(device.address) ? s.deviceOrder : [...s.deviceOrder, device.address],
    })),
  removeDevice: (address) =>
    set((s) => {
      const { [address]: _removed, ...devices } = s.devices;
      return { devices, deviceOrder: s.deviceOrder.filter((a) => a !== address) };
    }),
});
