import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFirmwareHeader } from '../../../native/firmware';
import { parseFaultSpec, type Fault } from '../../../native/simulator';
import { E, ZucError } from '../../shared/errors';

/** How `zuc sim start` turns its flags into per-terminal options (mixes, images, faults, link speed). */

/** A UART frame is 10 bits per byte (start, 8 data, stop). */
const UART_BITS_PER_BYTE = 10;
/** What a USB 2.0 high-speed bulk pipe moves in practice (480 Mbit/s raw). */
export const USB2_BYTES_PER_SECOND = 40_000_000;
const BYTE_UNITS: Record<string, number> = { '': 1, k: 1000, K: 1024, M: 1_000_000 };

function bad(why: string, usage: string): never {
  throw new ZucError(E.BAD_ARGUMENTS, `${why}\nusage: ${usage}`);
}

/** `--model A,B`: terminal k gets the k-th entry, round-robin; undefined when the flag is absent. */
export function mixList(value: string | undefined, name: string, usage: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((v) => v.trim());
  if (items.some((v) => v.length === 0 || v.length > 64)) bad(`--${name} '${value}': each comma-separated entry must be 1 to 64 characters`, usage);
  return items;
}

export function pick<T>(list: readonly T[] | undefined, k: number): T | undefined {
  return list && list.length ? list[k % list.length] : undefined;
}

/** `--link-speed 115200` (baud, 8N1), `usb2`, or `250000B/s` / `250kB/s` / `2MB/s`. */
export function parseLinkSpeed(value: string | undefined, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === 'usb2') return USB2_BYTES_PER_SECOND;
  if (/^\d{3,8}$/.test(text)) return Number(text) / UART_BITS_PER_BYTE;
  const m = /^(\d{1,9})([kKM]?)B?\/s$/.exec(text);
  if (m && Number(m[1]) > 0) return Number(m[1]) * BYTE_UNITS[m[2]!]!;
  return bad(`--link-speed '${value}': expected a baud rate (e.g. 115200), usb2, or bytes per second (e.g. 250000B/s, 2MB/s)`, usage);
}

export interface TerminalFaults {
  faults: Fault[];
  /** `old-agent`: the terminal speaks agent protocol 1 only. */
  oldAgent: boolean;
  /** `no-delta`: the terminal cannot apply deltas. */
  noDelta: boolean;
}

/** `--fault SPEC` for every terminal, `--fault K:SPEC` for terminal K; SPEC as parseFaultSpec, or old-agent / no-delta. */
export function faultsByTerminal(specs: string[], count: number, usage: string): TerminalFaults[] {
  const out: TerminalFaults[] = Array.from({ length: count }, () => ({ faults: [], oldAgent: false, noDelta: false }));
  for (const spec of specs) {
    const m = /^(\d+):(.*)$/.exec(spec);
    const text = (m ? m[2]! : spec).trim();
    const targets = m ? [Number(m[1])] : out.map((_, i) => i + 1);
    if (m && (targets[0]! < 1 || targets[0]! > count)) bad(`--fault ${spec}: there is no terminal ${m[1]} of ${count}`, usage);
    const fault = text === 'old-agent' || text === 'no-delta' ? undefined : parseFaultSpec(text);
    for (const k of targets) {
      const t = out[k - 1]!;
      if (fault) t.faults.push(fault);
      else if (text === 'old-agent') t.oldAgent = true;
      else t.noDelta = true;
    }
  }
  return out;
}

/** Reads each `--image FILE` and checks it is a firmware image (the simulator boots it). */
export async function readImages(files: string[], cwd: string, usage: string): Promise<Uint8Array[]> {
  const images: Uint8Array[] = [];
  for (const f of files) {
    const file = path.resolve(cwd, f);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (err) {
      throw new ZucError(E.IMAGE_UNREADABLE, `--image ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    try {
      parseFirmwareHeader(bytes);
    } catch (err) {
      bad(`--image ${file} is not a firmware image: ${err instanceof Error ? err.message : String(err)}`, usage);
    }
    images.push(bytes);
  }
  return images;
}
