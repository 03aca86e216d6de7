import { describe, expect, it } from 'vitest';
import { parseStationArgs } from './station-args';

describe('station command line', () => {
  it('reads port, data folder and several terminal addresses', () => {
    expect(parseStationArgs(['--port', '8080', '--connect', 'tcp://127.0.0.1:1', 'tcp://127.0.0.1:2', '--data-dir', '/tmp/x'])).toEqual({
      port: 8080,
      dataDir: '/tmp/x',
      connect: ['tcp://127.0.0.1:1', 'tcp://127.0.0.1:2'],
      help: false,
    });
  });

  it('defaults to any free port and no terminals', () => {
    expect(parseStationArgs([])).toEqual({ port: 0, dataDir: undefined, connect: [], help: false });
    expect(parseStationArgs(['--help']).help).toBe(true);
  });

  it('refuses a bad port, a missing value and unknown options with BAD_ARGUMENTS', () => {
    for (const argv of [['--port', 'http'], ['--port', '70000'], ['--data-dir'], ['--connect', '--port', '1'], ['--listen', '0.0.0.0']]) {
      expect(() => parseStationArgs(argv)).toThrowError(expect.objectContaining({ code: 'ZUC-1013' }));
    }
  });
});
