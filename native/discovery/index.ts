export type { DiscoveredLink, DiscoveryListener, DiscoveryVia } from './discovered-link';
export { Discovery, type DiscoveryOptions } from './discovery';
export { SerialPortWatcher, defaultPortLister, PORT_POLL_INTERVAL_MS, type ListedPort, type PortLister, type SerialPortWatcherOptions } from './serial-port-watcher';
export { TcpTerminals } from './tcp-terminals';
export { AGENT_INTERFACE, ZTE_VENDOR_ID, isZteAgent, usbAddressOf, type UsbApi, type UsbConnectionEvent, type UsbDeviceHandle } from './usb-api';
export { UsbWatcher, loadSystemUsb } from './usb-watcher';
