import { parseArgs } from 'node:util';
import type { DeviceView, TerminalInfo } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { createEngine } from '../../engine';
import type { Command } from '../command';
import { DATA_DIR_OPTION, dataDirFrom, parsedArgs } from './command-args';

const USAGE = [
  'zuc devices [--connect ADDR…] [--json] [--data-dir DIR]',
  '  ADDR  tcp://HOST:PORT, a serial device path, or serial:PATH[@BAUD]',
  '  without --connect, every terminal the console used before is identified again',
].join('\n');

function describe(info: TerminalInfo): string {
  const slot = (name: 'a' | 'b') => {
    const s = info.slots[name];
    return `  slot ${name}: ${(s.version || '(empty)').padEnd(16)} ${s.state.padEnd(10)} tries left ${s.triesLeft}${name === info.activeSlot ? '  ← active' : ''}`;
  };
  return [
    `${info.address}  ${info.model} rev ${info.hwRevision}  serial ${info.serial}`,
    `  runs ${info.firmwareVersion} from slot ${info.activeSlot}; slot size ${info.slotSize} bytes; agent v${info.agentVersion}`,
    slot('a'),
    slot('b'),
    '',
  ].join('\n');
}

function describeFailure(address: string, error: { code: string; title: string; detail: string; remedy: string }): string {
  return `${address}: error ${error.code}: ${error.title}\n${error.detail ? `  ${error.detail}\n` : ''}  remedy: ${error.remedy}\n`;
}

export const devicesCommand: Command = {
  name: 'devices',
  summary: 'identify terminals: model, hardware revision, serial, firmware per slot, active slot',
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parsedArgs(() => parseArgs({ args, options: { connect: { type: 'string', multiple: true }, json: { type: 'boolean' }, ...DATA_DIR_OPTION }, allowPositionals: true, strict: true }), USAGE);
    const addresses = [...(values.connect ?? []), ...positionals];
    const engine = createEngine({ dataDir: dataDirFrom(values['data-dir'], ctx) });
    let status = 0;
    const found: TerminalInfo[] = [];
    const show = (view: DeviceView): void => {
      if (view.state.kind === 'ready' && view.info) {
        found.push(view.info);
        if (!values.json) ctx.stdout.write(describe(view.info));
        return;
      }
      const error = view.state.kind === 'offline' ? view.state.error : new ZucError(E.TERMINAL_UNREACHABLE, view.address).toJSON();
      ctx.stderr.write(describeFailure(view.address, error));
      status = Math.max(status, 1);
    };
    try {
      if (addresses.length === 0) {
        const known = await engine.restoreKnownDevices();
        if (known.length === 0 && !values.json) ctx.stderr.write(`No terminals known yet: name one with --connect ADDR.\nusage: ${USAGE}\n`);
        known.forEach(show);
      }
      // One after the other: several addresses may be ports of one hub, which dislikes parallel opens.
      for (const address of addresses) {
        try {
          show(await engine.addDevice({ address }));
        } catch (err) {
          const error = ZucError.from(err);
          ctx.stderr.write(describeFailure(address, error.toJSON()));
          status = Math.max(status, error.code.startsWith('ZUC-1') ? 2 : 1);
        }
      }
    } finally {
      await engine.close();
    }
    if (values.json) ctx.stdout.write(JSON.stringify(found, null, 2) + '\n');
    return status;
  },
};
