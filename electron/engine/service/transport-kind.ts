import type { TransportKind } from '../../shared/contract';

/** Which kind of link an address names; serial device paths have no scheme. */
export function transportKindOf(address: string): TransportKind {
  if (address.startsWith('tcp://')) return 'tcp';
  if (address.startsWith('usb:')) return 'usb';
  if (address.startsWith('memory:')) return 'memory';
  return 'serial';
}
