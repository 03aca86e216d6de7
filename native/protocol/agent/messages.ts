import type { SlotInfo, SlotName, SlotState } from '../../../electron/shared/contract';
import { PayloadReader, PayloadWriter } from './payload-codec';

/** Payload layouts of every command and response (docs/agent-protocol.md "Commands"). */

const SLOT_CODES: readonly SlotName[] = ['a', 'b'];
const STATE_CODES: readonly SlotState[] = ['empty', 'good', 'pending', 'unbootable'];

export const MAX_MODEL_BYTES = 64;
export const MAX_HW_REVISION_BYTES = 32;
export const MAX_SERIAL_BYTES = 64;
export const MAX_VERSION_BYTES = 64;
/** WRITE_CHUNK spends 8 payload bytes on offset and CRC. */
export const CHUNK_OVERHEAD_BYTES = 8;
export const SHA256_BYTES = 32;

export interface SlotsReport {
  /** The slot that booted: the console's "active slot". */
  runningSlot: SlotName;
  /** The slot the bootloader tries first on the next boot. */
  bootSlot: SlotName;
  slots: Record<SlotName, SlotInfo>;
}

export interface IdentifyReport {
  agentVersion: number;
  model: string;
  hwRevision: string;
  serial: string;
  slotSize: number;
  maxChunkBytes: number;
  maxWindow: number;
  slots: SlotsReport;
}

export function slotCode(slot: SlotName): number {
  return SLOT_CODES.indexOf(slot);
}

export function readSlot(r: PayloadReader): SlotName {
  const code = r.u8();
  const slot = SLOT_CODES[code];
  if (!slot) r.fail(`slot ${code} is neither a (0) nor b (1)`);
  return slot;
}

function writeSlots(w: PayloadWriter, s: SlotsReport): PayloadWriter {
  w.u8(slotCode(s.runningSlot)).u8(slotCode(s.bootSlot));
  for (const name of SLOT_CODES) {
    const slot = s.slots[name];
    w.u8(STATE_CODES.indexOf(slot.state)).u8(slot.triesLeft).str8(slot.version);
  }
  return w;
}

function readSlots(r: PayloadReader): SlotsReport {
  const runningSlot = readSlot(r);
  const bootSlot = readSlot(r);
  const slots = {} as Record<SlotName, SlotInfo>;
  for (const name of SLOT_CODES) {
    const code = r.u8();
    const state = STATE_CODES[code];
    if (!state) r.fail(`slot ${name} has unknown state ${code}`);
    const triesLeft = r.u8();
    if (triesLeft > 15) r.fail(`slot ${name} has ${triesLeft} tries left, at most 15 are possible`);
    slots[name] = { state, triesLeft, version: r.str8(MAX_VERSION_BYTES) };
  }
  return { runningSlot, bootSlot, slots };
}

export function encodeSlotsReport(s: SlotsReport): Uint8Array {
  return writeSlots(new PayloadWriter(), s).finish();
}

export function decodeSlotsReport(bytes: Uint8Array): SlotsReport {
  const r = new PayloadReader(bytes, 'READ_SLOTS response');
  const s = readSlots(r);
  r.end();
  return s;
}

export function encodeIdentifyReport(i: IdentifyReport): Uint8Array {
  const w = new PayloadWriter()
    .u8(i.agentVersion)
    .str8(i.model)
    .str8(i.hwRevision)
    .str8(i.serial)
    .u32(i.slotSize)
    .u32(i.maxChunkBytes)
    .u16(i.maxWindow);
  return writeSlots(w, i.slots).finish();
}

export function decodeIdentifyReport(bytes: Uint8Array): IdentifyReport {
  const { extension: _v2Only, ...report } = decodeIdentify(bytes, false);
  return report;
}

export interface WriteBeginRequest {
  slot: SlotName;
  totalLength: number;
}

export function encodeWriteBegin(q: WriteBeginRequest): Uint8Array {
  return new PayloadWriter().u8(slotCode(q.slot)).u32(q.totalLength).finish();
}

export function decodeWriteBegin(bytes: Uint8Array): WriteBeginRequest {
  const r = new PayloadReader(bytes, 'WRITE_BEGIN');
  const q = { slot: readSlot(r), totalLength: r.u32() };
  r.end();
  return q;
}

export interface WriteChunkRequest {
  offset: number;
  dataCrc: number;
  data: Uint8Array;
}

export function encodeWriteChunk(q: WriteChunkRequest): Uint8Array {
  return new PayloadWriter().u32(q.offset).u32(q.dataCrc).bytes(q.data).finish();
}

export function decodeWriteChunk(bytes: Uint8Array): WriteChunkRequest {
  const r = new PayloadReader(bytes, 'WRITE_CHUNK');
  return { offset: r.u32(), dataCrc: r.u32(), data: r.rest() };
}

/** A u32 on its own: WRITE_CHUNK's ack (nextOffset) and READ_LOG's request (fromLine). */
export function encodeU32(value: number): Uint8Array {
  return new PayloadWriter().u32(value).finish();
}

export function decodeU32(bytes: Uint8Array, what: string): number {
  const r = new PayloadReader(bytes, what);
  const v = r.u32();
  r.end();
  return v;
}

export function encodeVersion(version: string): Uint8Array {
  return new PayloadWriter().str8(version).finish();
}

export function decodeVersion(bytes: Uint8Array): string {
  const r = new PayloadReader(bytes, 'WRITE_END response');
  const v = r.str8(MAX_VERSION_BYTES);
  r.end();
  return v;
}

export interface HashSlotRequest {
  slot: SlotName;
  length: number;
}

export function encodeHashSlot(q: HashSlotRequest): Uint8Array {
  return new PayloadWriter().u8(slotCode(q.slot)).u32(q.length).finish();
}

export function decodeHashSlot(bytes: Uint8Array): HashSlotRequest {
  const r = new PayloadReader(bytes, 'HASH_SLOT');
  const q = { slot: readSlot(r), length: r.u32() };
  r.end();
  return q;
}

export function decodeHashResponse(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== SHA256_BYTES) new PayloadReader(bytes, 'HASH_SLOT response').fail(`hash of ${bytes.length} bytes, expected ${SHA256_BYTES}`);
  return bytes;
}

export function encodeSlotOnly(slot: SlotName): Uint8Array {
  return Uint8Array.of(slotCode(slot));
}

export function decodeSlotOnly(bytes: Uint8Array, what: string): SlotName {
  const r = new PayloadReader(bytes, what);
  const slot = readSlot(r);
  r.end();
  return slot;
}

export interface LogPage {
  totalLines: number;
  lines: string[];
}

export function encodeLogPage(p: LogPage): Uint8Array {
  const w = new PayloadWriter().u32(p.totalLines).u16(p.lines.length);
  for (const line of p.lines) w.str16(line);
  return w.finish();
}

export function decodeLogPage(bytes: Uint8Array): LogPage {
  const r = new PayloadReader(bytes, 'READ_LOG response');
  const totalLines = r.u32();
  const count = r.u16();
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(r.str16());
  r.end();
  return { totalLines, lines };
}

export interface ErrorReply {
  code: number;
  message: string;
}

export function encodeErrorReply(e: ErrorReply): Uint8Array {
  return new PayloadWriter().u16(e.code).str16(e.message).finish();
}

export function decodeErrorReply(bytes: Uint8Array): ErrorReply {
  const r = new PayloadReader(bytes, 'error reply');
  const e = { code: r.u16(), message: r.str16() };
  r.end();
  return e;
}

export function expectEmptyPayload(bytes: Uint8Array, what: string): void {
  new PayloadReader(bytes, what).end();
}

/* ---- version 2 (docs/agent-protocol.md "Version 2") ---- */

/** The highest agent protocol version this code speaks. */
export const AGENT_PROTOCOL_VERSION = 2;

export const Capability = {
  RESUME: 0x01,
  DELTA: 0x02,
  READ_SLOT: 0x04,
} as const;

/** What a v2 agent appends to its IDENTIFY response. */
export interface IdentifyExtension {
  capabilities: number;
  slotCount: 1 | 2;
  maxPatchBytes: number;
}

export interface IdentifyReportV2 extends IdentifyReport {
  extension: IdentifyExtension | undefined;
}

export function encodeIdentifyRequest(consoleVersion: number): Uint8Array {
  return Uint8Array.of(consoleVersion);
}

/** undefined: an empty request (a v1 console). */
export function decodeIdentifyRequest(bytes: Uint8Array): number | undefined {
  if (bytes.length === 0) return undefined;
  const r = new PayloadReader(bytes, 'IDENTIFY');
  const v = r.u8();
  r.end();
  if (v < 1) r.fail('console version 0');
  return v;
}

export function encodeIdentifyReportV2(i: IdentifyReport, ext: IdentifyExtension | undefined): Uint8Array {
  const base = encodeIdentifyReport(i);
  if (!ext) return base;
  const tail = new PayloadWriter().u8(ext.capabilities).u8(ext.slotCount).u32(ext.maxPatchBytes).finish();
  const out = new Uint8Array(base.length + tail.length);
  out.set(base);
  out.set(tail, base.length);
  return out;
}

/** Decodes a v1 or v2 IDENTIFY response: the extension is there exactly when agentVersion ≥ 2. */
export function decodeIdentifyReportV2(bytes: Uint8Array): IdentifyReportV2 {
  return decodeIdentify(bytes, true);
}

/** Without `withExtension` (a v1 client) the v2 extension is trailing bytes, refused like any others. */
function decodeIdentify(bytes: Uint8Array, withExtension: boolean): IdentifyReportV2 {
  const r = new PayloadReader(bytes, 'IDENTIFY response');
  const agentVersion = r.u8();
  const model = r.str8(MAX_MODEL_BYTES);
  const hwRevision = r.str8(MAX_HW_REVISION_BYTES);
  const serial = r.str8(MAX_SERIAL_BYTES);
  const slotSize = r.u32();
  const maxChunkBytes = r.u32();
  const maxWindow = r.u16();
  const slots = readSlots(r);
  let extension: IdentifyExtension | undefined;
  if (withExtension && agentVersion >= 2) {
    const capabilities = r.u8();
    const slotCount = r.u8();
    if (slotCount !== 1 && slotCount !== 2) r.fail(`${slotCount} slots, expected 1 or 2`);
    extension = { capabilities, slotCount: slotCount === 1 ? 1 : 2, maxPatchBytes: r.u32() };
  }
  r.end();
  if (agentVersion < 1) r.fail('agent version 0');
  if (maxChunkBytes < 1 || maxWindow < 1) r.fail(`unusable write limits: chunk ${maxChunkBytes} bytes, window ${maxWindow}`);
  return { agentVersion, model, hwRevision, serial, slotSize, maxChunkBytes, maxWindow, slots, extension };
}

export const WRITE_BEGIN_V2_BYTES = 1 + 4 + SHA256_BYTES + 1;
export const WriteFlag = { RESUME: 0x01 } as const;

export interface WriteBeginV2Request extends WriteBeginRequest {
  imageSha256: Uint8Array;
  resume: boolean;
}

export function encodeWriteBeginV2(q: WriteBeginV2Request): Uint8Array {
  return new PayloadWriter()
    .u8(slotCode(q.slot))
    .u32(q.totalLength)
    .bytes(q.imageSha256)
    .u8(q.resume ? WriteFlag.RESUME : 0)
    .finish();
}

/** Either form of WRITE_BEGIN, told apart by length. */
export function decodeWriteBeginAny(bytes: Uint8Array): WriteBeginRequest | WriteBeginV2Request {
  if (bytes.length !== WRITE_BEGIN_V2_BYTES) return decodeWriteBegin(bytes);
  const r = new PayloadReader(bytes, 'WRITE_BEGIN');
  const slot = readSlot(r);
  const totalLength = r.u32();
  const imageSha256 = r.take(SHA256_BYTES);
  const flags = r.u8();
  r.end();
  if (flags & ~WriteFlag.RESUME) r.fail(`unknown flags 0x${flags.toString(16)}`);
  return { slot, totalLength, imageSha256, resume: (flags & WriteFlag.RESUME) !== 0 };
}

export interface ReadSlotRequest {
  slot: SlotName;
  offset: number;
  length: number;
}

export function encodeReadSlot(q: ReadSlotRequest): Uint8Array {
  return new PayloadWriter().u8(slotCode(q.slot)).u32(q.offset).u32(q.length).finish();
}

export function decodeReadSlot(bytes: Uint8Array): ReadSlotRequest {
  const r = new PayloadReader(bytes, 'READ_SLOT');
  const q = { slot: readSlot(r), offset: r.u32(), length: r.u32() };
  r.end();
  return q;
}

export interface DeltaBeginRequest {
  slot: SlotName;
  patchLength: number;
  sourceLength: number;
  sourceSha256: Uint8Array;
  targetLength: number;
  targetSha256: Uint8Array;
}

export function encodeDeltaBegin(q: DeltaBeginRequest): Uint8Array {
  return new PayloadWriter()
    .u8(slotCode(q.slot))
    .u32(q.patchLength)
    .u32(q.sourceLength)
    .bytes(q.sourceSha256)
    .u32(q.targetLength)
    .bytes(q.targetSha256)
    .finish();
}

export function decodeDeltaBegin(bytes: Uint8Array): DeltaBeginRequest {
  const r = new PayloadReader(bytes, 'DELTA_BEGIN');
  const q = {
    slot: readSlot(r),
    patchLength: r.u32(),
    sourceLength: r.u32(),
    sourceSha256: r.take(SHA256_BYTES),
    targetLength: r.u32(),
    targetSha256: r.take(SHA256_BYTES),
  };
  r.end();
  return q;
}
