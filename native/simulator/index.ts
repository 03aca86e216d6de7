export { describeFault, parseFaultSpec, type Fault } from './faults';
export type { DeltaApplier } from './agent-device';
export { createPtyPair, type PtyPair } from './pty-pair';
export {
  DEFAULT_BOOT_MS,
  DEFAULT_MAX_TRIES,
  DEFAULT_SLOT_SIZE_BYTES,
  startSimulatedTerminal,
  type RunningTerminal,
  type SimulatedTerminalOptions,
} from './simulated-terminal';
export { buildTestFirmware, testPayload } from './test-firmware';
