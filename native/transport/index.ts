export type { ByteLink, Disposable } from './byte-link';
export { DEFAULT_BAUD_RATE, parseAddress, type LinkAddress } from './address';
export { createMemoryLinkPair } from './memory-link';
export { openLink, type OpenLinkOptions } from './open-link';
export { CONNECT_TIMEOUT_MS, tcpLinkFromSocket } from './tcp-link';
