import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { E, ZucError } from '../../shared/errors';
import { parseFirmwareHeader } from '../../../native/firmware';
import { buildTestFirmware, startSimulatedTerminal, type RunningTerminal } from '../../../native/simulator';
import { applyDelta } from '../../engine/delta';
import type { CliContext, Command } from '../command';
import { parsedArgs } from './command-args';
import { faultsByTerminal, mixList, parseLinkSpeed, pick, readImages } from './sim-options';

const START_USAGE = [
  'zuc sim start --terminals N [--state DIR] [--fault [K:]SPEC]... [--transport tcp|pty] [--model M[,M...]] [--hw H[,H...]] [--version V[,V...]]',
  '              [--image FILE]... [--single-slot] [--link-speed BAUD|usb2|BYTES/s] [--boot-ms MS]',
  '  runs N simulated ZTE terminals (state in DIR/terminal-K, resumed if present) and prints one address per line; Ctrl-C stops them',
  '  --model/--hw/--version/--image: a comma list (or repeated --image) gives terminal K the K-th entry, round-robin: a mixed fleet',
  '  --image FILE  the firmware in the active slot (model, hardware and version come from its header)',
  '  --single-slot  one slot only: a write goes over the running image',
  '  --link-speed  pace each link: a baud rate (115200), usb2, or bytes per second (250000B/s, 2MB/s)',
  '  SPEC  boot-fail | corrupt-write | delta-corrupt | disconnect@BYTES | disconnect@N% | old-agent (protocol v1) | no-delta |',
  '        stale-version (a new slot reports the old version) | bit-rot@a|b (that slot\'s image decays at the first reboot);',
  '        K: applies it to terminal K only (1-based), otherwise to all',
].join('\n');
const IMAGE_USAGE = 'zuc sim image --model M --hw H --version V [--size BYTES] --out FILE\n  writes a test firmware image with a valid header and SIZE payload bytes (default 1048576)';
const USAGE = `${START_USAGE}\n${IMAGE_USAGE}`;

const MAX_TERMINALS = 64;
const DEFAULT_IMAGE_PAYLOAD_BYTES = 1024 * 1024;

function bad(why: string, usage: string): never {
  throw new ZucError(E.BAD_ARGUMENTS, `${why}\nusage: ${usage}`);
}

function positiveInt(value: string | undefined, name: string, usage: string, min = 1, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) bad(`--${name} must be a whole number from ${min} to ${max}, got '${value}'`, usage);
  return n;
}

async function start(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parsedArgs(
    () =>
      parseArgs({
        args,
        options: {
          terminals: { type: 'string' },
          state: { type: 'string' },
          fault: { type: 'string', multiple: true },
          transport: { type: 'string' },
          model: { type: 'string' },
          hw: { type: 'string' },
          version: { type: 'string' },
          'boot-ms': { type: 'string' },
          image: { type: 'string', multiple: true },
          'single-slot': { type: 'boolean' },
          'link-speed': { type: 'string' },
        },
        strict: true,
      }),
    START_USAGE,
  );
  const count = positiveInt(values.terminals ?? '1', 'terminals', START_USAGE, 1, MAX_TERMINALS)!;
  const transport = values.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'pty') bad(`--transport must be tcp or pty, got '${transport}'`, START_USAGE);
  const bootMs = positiveInt(values['boot-ms'], 'boot-ms', START_USAGE, 0, 600_000);
  const faults = faultsByTerminal(values.fault ?? [], count, START_USAGE);
  const models = mixList(values.model, 'model', START_USAGE);
  const hws = mixList(values.hw, 'hw', START_USAGE);
  const versions = mixList(values.version, 'version', START_USAGE);
  const linkBytesPerSecond = parseLinkSpeed(values['link-speed'], START_USAGE);
  const singleSlot = values['single-slot'] === true;
  for (const [k, f] of faults.entries()) if (f.oldAgent && singleSlot) bad(`terminal ${k + 1}: an old agent (protocol v1) cannot be single-slot`, START_USAGE);
  const images = await readImages(values.image ?? [], ctx.cwd, START_USAGE);
  for (const [i, image] of images.entries()) {
    const h = parseFirmwareHeader(image);
    for (let k = i; k < count; k += images.length) {
      const clash = ([['model', pick(models, k), h.model], ['hw', pick(hws, k), h.hwRevision], ['version', pick(versions, k), h.version]] as const).find(([, given, inImage]) => given !== undefined && given !== inImage);
      if (clash) bad(`terminal ${k + 1}: --${clash[0]} ${clash[1]} contradicts its --image, which is ${clash[2]}`, START_USAGE);
    }
  }
  const stateRoot = values.state ? path.resolve(ctx.cwd, values.state) : await mkdtemp(path.join(os.tmpdir(), 'zuc-sim-'));
  await mkdir(stateRoot, { recursive: true });

  const terminals: RunningTerminal[] = [];
  try {
    for (let k = 0; k < count; k++) {
      terminals.push(
        await startSimulatedTerminal({
          stateDir: path.join(stateRoot, `terminal-${k + 1}`),
          transport,
          model: pick(models, k),
          hwRevision: pick(hws, k),
          version: pick(versions, k),
          initialImage: pick(images, k),
          singleSlot,
          linkBytesPerSecond,
          agentVersion: faults[k]!.oldAgent ? 1 : 2,
          deltaApplier: faults[k]!.oldAgent || faults[k]!.noDelta ? undefined : applyDelta,
          bootMs,
          faults: faults[k]!.faults,
        }),
      );
    }
    for (const t of terminals) ctx.stdout.write(`${t.address}\n`);
    ctx.stderr.write(`${count} simulated terminal(s), state in ${stateRoot}; Ctrl-C stops them\n`);
    await ctx.interrupted;
  } finally {
    await Promise.all(terminals.map((t) => t.close()));
  }
  return 0;
}

async function image(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parsedArgs(
    () =>
      parseArgs({
        args,
        options: { model: { type: 'string' }, hw: { type: 'string' }, version: { type: 'string' }, size: { type: 'string' }, out: { type: 'string' } },
        strict: true,
      }),
    IMAGE_USAGE,
  );
  const { model, hw, version, out } = values;
  if (!model || !hw || !version || !out) bad('--model, --hw, --version and --out are required', IMAGE_USAGE);
  const payloadBytes = positiveInt(values.size, 'size', IMAGE_USAGE, 1, 512 * 1024 * 1024) ?? DEFAULT_IMAGE_PAYLOAD_BYTES;
  const bytes = buildTestFirmware({ model, hwRevision: hw, version, payloadBytes });
  const file = path.resolve(ctx.cwd, out);
  try {
    await writeFile(file, bytes);
  } catch (err) {
    throw new ZucError(E.IMAGE_UNREADABLE, `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  ctx.stdout.write(`${file}  ${model} rev ${hw} version ${version}, ${bytes.length} bytes\n`);
  return 0;
}

export const simCommand: Command = {
  name: 'sim',
  summary: 'run simulated ZTE terminals (sim start) or build a test firmware image (sim image)',
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub === 'start') return start(rest, ctx);
    if (sub === 'image') return image(rest, ctx);
    return bad(sub ? `unknown sub-command '${sub}'` : 'name a sub-command: start or image', USAGE);
  },
};
