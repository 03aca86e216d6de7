import { describe, it, expect } from 'vitest';
import { connectionOf } from './terminal-connection';

describe('how a terminal row names its connection', () => {
  it('names a TCP terminal by host and port', () => {
    expect(connectionOf('tcp://127.0.0.1:5600')).toEqual({ kind: 'tcp', where: '127.0.0.1:5600' });
    expect(connectionOf('tcp://[::1]:5600')).toEqual({ kind: 'tcp', where: '[::1]:5600' });
  });

  it('names a serial terminal by its port, with the speed when the address gives one', () => {
    expect(connectionOf('/dev/ttyUSB0')).toEqual({ kind: 'serial', where: '/dev/ttyUSB0' });
    expect(connectionOf('COM3')).toEqual({ kind: 'serial', where: 'COM3' });
    expect(connectionOf('serial:/dev/ttyACM1@921600')).toEqual({ kind: 'serial', where: '/dev/ttyACM1 @ 921600' });
    expect(connectionOf('serial:/dev/ttyS0')).toEqual({ kind: 'serial', where: '/dev/ttyS0' });
  });

  it('names a USB terminal by vendor and product id, leaving the serial to the terminal column', () => {
    expect(connectionOf('usb:19D2:1405:ZTE801A0003')).toEqual({ kind: 'usb', where: '19d2:1405' });
    expect(connectionOf('usb:19d2:1405')).toEqual({ kind: 'usb', where: '19d2:1405' });
    expect(connectionOf('usb:')).toEqual({ kind: 'usb', where: '' });
  });

  it('takes the engine’s transport over the address scheme once the terminal answered', () => {
    expect(connectionOf('memory:bench-1', { transport: 'memory' })).toEqual({ kind: 'memory', where: '' });
    expect(connectionOf('/dev/ttyUSB0', { transport: 'usb' }).kind).toBe('usb');
  });
});
