import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { SlotName } from '../../electron/shared/contract';
import { FIRMWARE_HEADER_SIZE, parseFirmwareHeader } from '../firmware';
import { Command, commandName, DeviceError, type DeviceErrorCode } from '../protocol/agent/commands';
import { crc32, crc32Suffix } from '../protocol/agent/crc32';
import { encodeFrame, FrameFlag, KNOWN_FLAGS, MAX_PAYLOAD_BYTES, PROTOCOL_VERSION, type Frame } from '../protocol/agent/frame';
import { FrameDecoder, type DecodeEvent } from '../protocol/agent/frame-decoder';
import {
  AGENT_PROTOCOL_VERSION,
  Capability,
  decodeDeltaBegin,
  decodeIdentifyRequest,
  decodeReadSlot,
  decodeWriteBeginAny,
  encodeIdentifyReportV2,
  type DeltaBeginRequest,
  type WriteBeginRequest,
  type WriteBeginV2Request,
  decodeHashSlot,
  decodeSlotOnly,
  decodeU32,
  decodeWriteChunk,
  encodeErrorReply,
  encodeLogPage,
  encodeSlotsReport,
  encodeU32,
  encodeVersion,
  expectEmptyPayload,
  type SlotsReport,
} from '../protocol/agent/messages';
import type { ByteLink } from '../transport/byte-link';
import { otherSlot } from './bootloader';
import type { Fault } from './faults';
import { LinkPacer } from './link-pacer';
import type { TerminalStore } from './terminal-store';

/** A partial frame is dropped after this much silence (resynchronises a serial line). */
export const FRAME_GAP_TIMEOUT_MS = 1000;
/** A v2 write records its acknowledged offset in state.json this often, so even a crash of the agent loses little. */
export const RESUME_CHECKPOINT_BYTES = 1024 * 1024;
/**
 * Accepted chunks are gathered and stored in one file write per this many
 * bytes (and before every checkpoint, abort and WRITE_END): one awaited
 * write per 32 KiB chunk kept a fast link idle while the disk call ran.
 */
export const WRITE_BATCH_BYTES = 1024 * 1024;
/**
 * Batches go to the file in the background while the next chunks arrive (a
 * terminal writes flash while its UART receives); past this many bytes
 * handed to the disk and not yet written, acks wait for the disk.
 */
export const MAX_STORING_BYTES = 4 * WRITE_BATCH_BYTES;
/** Applies a delta patch to the running image (protocol v2 DELTA_END); throws on a patch it rejects. */
export type DeltaApplier = (oldImage: Uint8Array, patch: Uint8Array) => Promise<Uint8Array> | Uint8Array;

export interface AgentDeviceConfig {
  /** The highest protocol version this agent speaks: 1 behaves exactly like a v1 agent. */
  agentVersion: 1 | 2;
  /** One slot only: writes go over the running image. */
  singleSlot: boolean;
  /** Without one the agent has no DELTA capability. */
  deltaApplier: DeltaApplier | undefined;
  maxChunkBytes: number;
  maxWindow: number;
  maxTries: number;
  faults: Fault[];
  linkBytesPerSecond?: number;
  /** REBOOT was acknowledged: the terminal goes away and boots. */
  onReboot(): void;
}

/** A refused request: answered with an error reply carrying `code`. */
class Refusal extends Error {
  constructor(
    readonly code: DeviceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface WriteSession {
  kind: 'write';
  slot: SlotName;
  total: number;
  /** Bytes accepted and acknowledged. */
  received: number;
  file: FileHandle;
  connection: DeviceConnection;
  /** corrupt-write fault: the byte whose bit flips in storage. */
  corruptAt: number | undefined;
  /** v2 writes name their image, which makes them resumable. */
  imageSha256: string | undefined;
  /** Accepted chunks not yet handed to the file; they end at `received`. */
  unstored: Uint8Array[];
  unstoredBytes: number;
  /** File writes (and checkpoints) in order, running in the background. */
  storing: Promise<void>;
  /** Bytes handed to `storing` and not yet written. */
  storingBytes: number;
  /** End of the bytes known to be in the file. */
  stored: number;
  /** The first failed file write: the write session refuses everything after it. */
  storeError: Error | undefined;
  /** The offset the last resume checkpoint was asked for. */
  checkpointed: number;
  /** A checkpoint asked for while another was being saved: the next one to save. */
  checkpointDue: number | undefined;
  /** The running checkpoint saves (one at a time, beside the file writes). */
  checkpointing: Promise<void>;
}

/** A delta patch streaming into the staging area. */
interface DeltaSession {
  kind: 'delta';
  slot: SlotName;
  total: number;
  received: number;
  staging: Uint8Array;
  connection: DeviceConnection;
  request: DeltaBeginRequest;
}

/** Commands allowed while a write or delta session is open. */
const DURING_WRITE = new Set<number>([
  Command.IDENTIFY,
  Command.READ_SLOTS,
  Command.READ_LOG,
  Command.WRITE_BEGIN,
  Command.WRITE_CHUNK,
  Command.WRITE_END,
  Command.DELTA_BEGIN,
  Command.DELTA_CHUNK,
  Command.DELTA_END,
]);
const V2_COMMANDS = new Set<number>([Command.READ_SLOT, Command.DELTA_BEGIN, Command.DELTA_CHUNK, Command.DELTA_END]);

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A WRITE_CHUNK / DELTA_CHUNK as received, with the CRC-32 its data really has. */
interface ReceivedChunk {
  offset: number;
  dataCrc: number;
  data: Uint8Array;
  actualCrc: number;
}

/**
 * Decodes a chunk request. The data's CRC is taken from the payload CRC the
 * decoder computed for the frame check (crc32Suffix removes the 8-byte
 * prefix's share): the same number as CRC'ing the data again, in O(1).
 */
function chunkOf(frame: Frame): ReceivedChunk {
  const q = decodeWriteChunk(frame.payload);
  const prefix = frame.payload.subarray(0, frame.payload.length - q.data.length);
  const actualCrc = frame.payloadCrc === undefined ? crc32(q.data) : crc32Suffix(frame.payloadCrc, crc32(prefix), q.data.length);
  return { ...q, actualCrc };
}

/** One link to the agent: decodes frames, paces bytes, and answers through the device. */
export class DeviceConnection {
  private readonly decoder = new FrameDecoder();
  /** A UART paces each direction on its own: acks must not queue behind the chunks still arriving. */
  private readonly rxPacer: LinkPacer;
  private readonly txPacer: LinkPacer;
  private gapTimer: NodeJS.Timeout | undefined;
  /** Encoded responses waiting for the next flush, in order. */
  private outgoing: Uint8Array[] = [];
  private flushSoon: NodeJS.Immediate | undefined;
  alive = true;
  /** Sequence number of the last accepted request on this link; undefined until a SYNC request. */
  seqBase: number | undefined;

  constructor(
    private readonly device: AgentDevice,
    readonly link: ByteLink,
    /** Makes the link drop (disconnect fault). */
    readonly drop: () => void,
  ) {
    this.rxPacer = new LinkPacer(device.config.linkBytesPerSecond);
    this.txPacer = new LinkPacer(device.config.linkBytesPerSecond);
    link.onData((chunk) => this.rxPacer.schedule(chunk.length, () => this.receive(chunk)));
    link.onClose(() => this.end());
  }

  receive(chunk: Uint8Array): void {
    if (!this.alive) return;
    if (!this.device.online) {
      // Booting or cut off: a real agent is not running to hear this.
      this.stopGapTimer();
      this.decoder.reset();
      return;
    }
    for (const event of this.decoder.push(chunk)) this.device.enqueue(() => this.device.handle(event, this));
    if (!this.decoder.hasPartialFrame) this.stopGapTimer();
    // One timer restarted per chunk: a new one for every chunk of a fast write cost more than the rest of receiving.
    else if (this.gapTimer) this.gapTimer.refresh();
    else {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        this.decoder.reset();
      }, FRAME_GAP_TIMEOUT_MS);
    }
  }

  private stopGapTimer(): void {
    clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
  }

  /**
   * Sends a frame; resolves once it left (or the link is gone). With
   * `batched` (a chunk's ack) the frame waits until the reads that arrived
   * together were handled, and leaves with the others in one write: one
   * socket write per ack was the agent's largest cost after the CRC. Frames
   * keep their order: any other send takes the waiting acks along first.
   */
  send(frame: Frame, batched = false): Promise<void> {
    if (!this.alive) return Promise.resolve();
    this.outgoing.push(encodeFrame(frame));
    if (!batched) return this.flush();
    this.flushSoon ??= setImmediate(() => void this.flush());
    return Promise.resolve();
  }

  private flush(): Promise<void> {
    clearImmediate(this.flushSoon);
    this.flushSoon = undefined;
    const frames = this.outgoing;
    this.outgoing = [];
    if (frames.length === 0 || !this.alive) return Promise.resolve();
    const bytes = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    return new Promise((resolve) => this.txPacer.schedule(bytes.length, () => void this.link.write(bytes).then(resolve, () => resolve())));
  }

  /** Forgets a half-received frame and the sequence (the agent restarted or went deaf). */
  resetInput(): void {
    this.stopGapTimer();
    this.decoder.reset();
    this.seqBase = undefined;
  }

  end(): void {
    if (!this.alive) return;
    this.alive = false;
    clearTimeout(this.gapTimer);
    clearImmediate(this.flushSoon);
    this.outgoing = [];
    this.rxPacer.cancel();
    this.txPacer.cancel();
    this.device.enqueue(() => this.device.connectionEnded(this));
  }
}

/**
 * The device side of the agent protocol: sequence checking, the write
 * session, every command, and the faults that strike while writing.
 * Frames are handled strictly one at a time, in arrival order.
 */
export class AgentDevice {
  private session: WriteSession | DeltaSession | undefined;
  private queue: Promise<void> = Promise.resolve();
  private disconnectAfter: number | undefined;
  private disconnectAtPercent: number | undefined;
  /** Payload bytes accepted by WRITE_CHUNK since start. */
  payloadBytesReceived = 0;
  /** False while the terminal boots or its line is cut: input is ignored. */
  online = false;
  /** The bit-rot fault struck already (it strikes once). */
  private rotted = false;

  constructor(
    readonly store: TerminalStore,
    readonly config: AgentDeviceConfig,
  ) {
    const disconnect = config.faults.find((f) => f.kind === 'disconnect');
    this.disconnectAfter = disconnect?.kind === 'disconnect' ? disconnect.afterBytes : undefined;
    const at = config.faults.find((f) => f.kind === 'disconnect-at');
    this.disconnectAtPercent = at?.kind === 'disconnect-at' ? at.percent : undefined;
  }

  get capabilities(): number {
    if (this.config.agentVersion < 2) return 0;
    return Capability.RESUME | Capability.READ_SLOT | (this.config.deltaApplier ? Capability.DELTA : 0);
  }

  /** Staging area for a delta patch: as large as a slot. */
  get maxPatchBytes(): number {
    return this.capabilities & Capability.DELTA ? this.store.record.slotSize : 0;
  }

  attach(link: ByteLink, drop: () => void): DeviceConnection {
    return new DeviceConnection(this, link, drop);
  }

  enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((err: unknown) => this.store.log(`agent: internal error ${String(err)}`));
  }

  /** Resolves when every frame received so far was handled. */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Power loss or reboot: a write in progress stays unfinished. */
  async reset(): Promise<void> {
    await this.abortWrite('terminal rebooted');
  }

  async connectionEnded(connection: DeviceConnection): Promise<void> {
    if (this.session?.connection === connection) await this.abortWrite('link lost');
  }

  async handle(event: DecodeEvent, conn: DeviceConnection): Promise<void> {
    if (!conn.alive || !this.online) return;
    if (event.kind === 'corrupt') {
      await this.refuse(conn, event, new Refusal(DeviceError.BAD_CRC, 'frame CRC does not match'));
      return;
    }
    const { frame } = event;
    try {
      if (frame.version !== PROTOCOL_VERSION) throw new Refusal(DeviceError.UNSUPPORTED_VERSION, `protocol version ${frame.version}, this agent speaks ${PROTOCOL_VERSION}`);
      if (frame.flags & FrameFlag.RESPONSE || frame.flags & ~KNOWN_FLAGS) throw new Refusal(DeviceError.BAD_PAYLOAD, `flags 0x${frame.flags.toString(16)} not allowed in a request`);
      this.checkSequence(frame, conn);
      const payload = await this.dispatch(frame, conn);
      if (payload === undefined) return;
      // A chunk's ack leaves in order without holding up the next chunk (a UART sends while the agent stores);
      // waiting for every ack to reach the socket cost an event-loop turn per chunk.
      const chunk = frame.type === Command.WRITE_CHUNK || frame.type === Command.DELTA_CHUNK;
      const sent = conn.send({ type: frame.type, flags: FrameFlag.RESPONSE, seq: frame.seq, payload }, chunk);
      if (!chunk) await sent;
      if (frame.type === Command.REBOOT) {
        await this.store.save();
        await this.rotOnce();
        this.config.onReboot();
      } else if (!chunk) {
        // A chunk changes nothing in state.json (writes checkpoint on their own; a patch is staged in memory).
        await this.store.save();
      }
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      await this.refuse(conn, frame, err);
    }
  }

  private checkSequence(frame: Frame, conn: DeviceConnection): void {
    if (frame.flags & FrameFlag.SYNC) {
      conn.seqBase = frame.seq;
      return;
    }
    const expected = conn.seqBase === undefined ? undefined : (conn.seqBase + 1) & 0xffff;
    if (expected !== frame.seq) {
      throw new Refusal(DeviceError.OUT_OF_SEQUENCE, expected === undefined ? `seq ${frame.seq} before any SYNC request` : `seq ${frame.seq}, expected ${expected}`);
    }
    conn.seqBase = frame.seq;
  }

  private async refuse(conn: DeviceConnection, frame: { type: number; seq: number }, refusal: Refusal): Promise<void> {
    this.store.log(`agent: refused ${commandName(frame.type)} seq ${frame.seq}: ${refusal.message}`);
    await conn.send({ type: frame.type, flags: FrameFlag.RESPONSE | FrameFlag.ERROR, seq: frame.seq, payload: encodeErrorReply({ code: refusal.code, message: refusal.message }) });
  }

  /** Handles one accepted request; returns the response payload, or undefined to stay silent. */
  private async dispatch(frame: Frame, conn: DeviceConnection): Promise<Uint8Array | undefined> {
    const name = commandName(frame.type);
    if (V2_COMMANDS.has(frame.type) && this.config.agentVersion < 2) throw new Refusal(DeviceError.UNKNOWN_COMMAND, `unknown command ${name}`);
    if (this.session && !DURING_WRITE.has(frame.type)) throw new Refusal(DeviceError.WRONG_STATE, `${name} while slot ${this.session.slot} is being written`);
    const p = frame.payload;
    try {
      switch (frame.type) {
        case Command.IDENTIFY:
          return this.identify(p);
        case Command.READ_SLOTS:
          expectEmptyPayload(p, name);
          return encodeSlotsReport(this.slotsReport());
        case Command.WRITE_BEGIN:
          if (this.config.agentVersion < 2 && p.length !== 5) throw new Refusal(DeviceError.BAD_PAYLOAD, `WRITE_BEGIN of ${p.length} bytes, expected 5`);
          return await this.writeBegin(decodeWriteBeginAny(p), conn);
        case Command.READ_SLOT:
          return await this.readSlotRange(p);
        case Command.DELTA_BEGIN:
          return await this.deltaBegin(decodeDeltaBegin(p), conn);
        case Command.DELTA_CHUNK:
          return this.deltaChunk(chunkOf(frame), conn);
        case Command.DELTA_END:
          expectEmptyPayload(p, name);
          return await this.deltaEnd(conn);
        case Command.WRITE_CHUNK:
          return await this.writeChunk(chunkOf(frame), conn);
        case Command.WRITE_END:
          expectEmptyPayload(p, name);
          return await this.writeEnd(conn);
        case Command.HASH_SLOT: {
          const q = decodeHashSlot(p);
          if (q.length > this.store.record.slotSize) throw new Refusal(DeviceError.TOO_LARGE, `hash of ${q.length} bytes, the slot holds ${this.store.record.slotSize}`);
          return await this.store.hashSlot(q.slot, q.length);
        }
        case Command.SET_ACTIVE:
          return this.setActive(decodeSlotOnly(p, name));
        case Command.REBOOT:
          expectEmptyPayload(p, name);
          this.store.log('agent: reboot requested');
          return new Uint8Array();
        case Command.CONFIRM:
          expectEmptyPayload(p, name);
          return this.confirm();
        case Command.READ_LOG:
          return this.readLog(decodeU32(p, name));
        default:
          throw new Refusal(DeviceError.UNKNOWN_COMMAND, `unknown command ${name}`);
      }
    } catch (err) {
      if (err instanceof Refusal) throw err;
      const code = (err as { code?: string }).code;
      if (code === 'ZUC-3003') throw new Refusal(DeviceError.BAD_PAYLOAD, (err as { detail: string }).detail);
      throw new Refusal(DeviceError.STORAGE, err instanceof Error ? err.message : String(err));
    }
  }

  slotsReport(): SlotsReport {
    const { runningSlot, bootSlot, slots } = this.store.record;
    const report = { runningSlot, bootSlot, slots: { a: { ...slots.a }, b: { ...slots.b } } };
    // stale-version fault: the new firmware's agent reads its version where the old firmware left it.
    if (this.config.faults.some((f) => f.kind === 'stale-version') && slots[runningSlot].state === 'pending') {
      report.slots[runningSlot].version = slots[otherSlot(runningSlot)].version;
    }
    return report;
  }

  /** bit-rot fault: on the first reboot, one bit of the image stored in the fault's slot flips (the state still says good). */
  private async rotOnce(): Promise<void> {
    const fault = this.config.faults.find((f) => f.kind === 'bit-rot');
    if (fault?.kind !== 'bit-rot' || this.rotted) return;
    this.rotted = true;
    const at = await this.store.flipBit(fault.slot);
    if (at !== undefined) this.store.log(`simulator: fault bit-rot@${fault.slot} flipped a bit of slot ${fault.slot} at byte ${at}`);
    await this.store.save();
  }

  /** IDENTIFY: a payload-less request is a v1 console and gets exactly the v1 answer. */
  private identify(p: Uint8Array): Uint8Array {
    if (this.config.agentVersion < 2) expectEmptyPayload(p, 'IDENTIFY');
    const consoleVersion = this.config.agentVersion < 2 ? undefined : decodeIdentifyRequest(p);
    const negotiated = Math.min(consoleVersion ?? 1, this.config.agentVersion, AGENT_PROTOCOL_VERSION);
    const report = {
      agentVersion: negotiated,
      model: this.store.record.model,
      hwRevision: this.store.record.hwRevision,
      serial: this.store.record.serial,
      slotSize: this.store.record.slotSize,
      maxChunkBytes: this.config.maxChunkBytes,
      maxWindow: this.config.maxWindow,
      slots: this.slotsReport(),
    };
    const extension = negotiated >= 2 ? { capabilities: this.capabilities, slotCount: this.config.singleSlot ? (1 as const) : (2 as const), maxPatchBytes: this.maxPatchBytes } : undefined;
    return encodeIdentifyReportV2(report, extension);
  }

  /** The slot a write or delta may target: the inactive one, or the only one of a single-slot terminal. */
  private checkTargetSlot(slot: SlotName): void {
    const rec = this.store.record;
    if (this.config.singleSlot) {
      if (slot !== 'a') throw new Refusal(DeviceError.BAD_SLOT, 'this terminal has one slot (a)');
    } else if (slot === rec.runningSlot) {
      throw new Refusal(DeviceError.SLOT_ACTIVE, `slot ${slot} is running`);
    }
  }

  private async writeBegin(q: WriteBeginRequest | WriteBeginV2Request, conn: DeviceConnection): Promise<Uint8Array> {
    const rec = this.store.record;
    this.checkTargetSlot(q.slot);
    if (q.totalLength === 0) throw new Refusal(DeviceError.BAD_PAYLOAD, 'write of 0 bytes');
    if (q.totalLength > rec.slotSize) throw new Refusal(DeviceError.TOO_LARGE, `${q.totalLength} bytes do not fit the ${rec.slotSize}-byte slot`);
    if (this.session && this.session.connection !== conn) throw new Refusal(DeviceError.WRONG_STATE, `slot ${this.session.slot} is being written over another connection`);
    await this.abortWrite('a new write began');
    const imageSha256 = 'imageSha256' in q ? hexOf(q.imageSha256) : undefined;
    const before = rec.interruptedWrite;
    const resumable = 'resume' in q && q.resume && before !== undefined && before.slot === q.slot && before.totalLength === q.totalLength && before.imageSha256 === imageSha256;
    const from = resumable ? before.acknowledged : 0;
    rec.interruptedWrite = undefined;
    const file = resumable ? await this.store.openForResume(q.slot) : await this.store.openForWrite(q.slot);
    this.store.setSlot(q.slot, 'unbootable', 0, '');
    if (rec.bootSlot === q.slot && !this.config.singleSlot) rec.bootSlot = rec.runningSlot;
    const corrupt = this.config.faults.some((f) => f.kind === 'corrupt-write');
    this.session = {
      kind: 'write',
      slot: q.slot,
      total: q.totalLength,
      received: from,
      file,
      connection: conn,
      corruptAt: corrupt ? Math.floor(q.totalLength / 2) : undefined,
      imageSha256,
      unstored: [],
      unstoredBytes: 0,
      storing: Promise.resolve(),
      storingBytes: 0,
      stored: from,
      storeError: undefined,
      checkpointed: from,
      checkpointDue: undefined,
      checkpointing: Promise.resolve(),
    };
    if (imageSha256 !== undefined) rec.interruptedWrite = { slot: q.slot, totalLength: q.totalLength, imageSha256, acknowledged: from };
    this.store.log(resumable ? `agent: write of slot ${q.slot} resumed at ${from} of ${q.totalLength} bytes` : `agent: write of slot ${q.slot} began, ${q.totalLength} bytes`);
    return imageSha256 === undefined ? new Uint8Array() : encodeU32(from);
  }

  /** Where a disconnect fault cuts this chunk (bytes of it kept), or undefined. */
  private cutPoint(s: WriteSession, offset: number, length: number): number | undefined {
    if (this.disconnectAfter !== undefined && this.payloadBytesReceived + length > this.disconnectAfter) return this.disconnectAfter - this.payloadBytesReceived;
    if (this.disconnectAtPercent !== undefined) {
      const at = Math.floor((s.total * this.disconnectAtPercent) / 100);
      if (offset + length > at) return Math.max(0, at - offset);
    }
    return undefined;
  }

  private async writeChunk(q: ReceivedChunk, conn: DeviceConnection): Promise<Uint8Array | undefined> {
    const s = this.session;
    if (!s || s.kind !== 'write' || s.connection !== conn) throw new Refusal(DeviceError.WRONG_STATE, 'no write in progress on this connection');
    const length = q.data.length;
    if (length > this.config.maxChunkBytes) throw new Refusal(DeviceError.CHUNK_TOO_LARGE, `${length} bytes, at most ${this.config.maxChunkBytes}`);
    if (q.offset !== s.received) throw new Refusal(DeviceError.BAD_OFFSET, `offset ${q.offset}, expected ${s.received}`);
    if (q.offset + length > s.total) throw new Refusal(DeviceError.TOO_LARGE, `chunk ends at ${q.offset + length}, beyond the announced ${s.total} bytes`);
    if (q.actualCrc !== q.dataCrc) throw new Refusal(DeviceError.BAD_CRC, `chunk at ${q.offset}: data CRC does not match`);
    if (s.storeError) throw new Refusal(DeviceError.STORAGE, `storing slot ${s.slot} failed: ${s.storeError.message}`);
    let data = q.data;
    const keep = this.cutPoint(s, q.offset, length);
    if (keep !== undefined) {
      // The cut chunk's bytes arrived but are never acknowledged: a resume starts before them.
      await this.storeAccepted(s);
      await s.file.write(data, 0, keep, q.offset);
      this.payloadBytesReceived += keep;
      this.store.log(`link: dropped after ${q.offset + keep} bytes of the write (fault ${this.disconnectAfter !== undefined ? `disconnect@${this.disconnectAfter}` : `disconnect@${this.disconnectAtPercent}%`})`);
      this.disconnectAfter = undefined;
      this.disconnectAtPercent = undefined;
      await this.abortWrite('link lost');
      await this.store.save();
      conn.drop();
      return undefined;
    }
    if (s.corruptAt !== undefined && s.corruptAt >= q.offset && s.corruptAt < q.offset + length) {
      data = data.slice();
      const at = s.corruptAt - q.offset;
      data[at] = data[at]! ^ 0x10;
    }
    s.unstored.push(data);
    s.unstoredBytes += length;
    s.received += length;
    this.payloadBytesReceived += length;
    const checkpointDue = this.store.record.interruptedWrite !== undefined && s.imageSha256 !== undefined && Math.floor(s.received / RESUME_CHECKPOINT_BYTES) > Math.floor(s.checkpointed / RESUME_CHECKPOINT_BYTES);
    if (checkpointDue) {
      s.checkpointed = s.received;
      this.flushAccepted(s, s.received);
    } else if (s.unstoredBytes >= WRITE_BATCH_BYTES) {
      this.flushAccepted(s);
    }
    if (s.storingBytes > MAX_STORING_BYTES) await s.storing;
    return encodeU32(s.received);
  }

  private async writeEnd(conn: DeviceConnection): Promise<Uint8Array> {
    const s = this.session;
    if (!s || s.kind !== 'write' || s.connection !== conn) throw new Refusal(DeviceError.WRONG_STATE, 'no write in progress on this connection');
    if (s.received !== s.total) throw new Refusal(DeviceError.INCOMPLETE, `${s.received} of ${s.total} bytes written`);
    await this.storeAccepted(s);
    // A resumed write may have stored a longer image before: the slot holds exactly this one.
    if ((await s.file.stat()).size > s.total) await s.file.truncate(s.total);
    await s.file.close();
    this.session = undefined;
    this.store.record.interruptedWrite = undefined;
    const version = await this.slotVersion(s.slot);
    this.store.setSlot(s.slot, 'unbootable', 0, version);
    this.store.log(`agent: write of slot ${s.slot} complete, ${s.total} bytes, version '${version}'`);
    return encodeVersion(version);
  }

  /**
   * Hands the gathered chunks to the file in one writev at their offset,
   * after the writes before it, without waiting. With `checkpointAt`, a
   * resume checkpoint for that offset follows once the bytes are in the file.
   */
  private flushAccepted(s: WriteSession, checkpointAt?: number): void {
    if (s.unstoredBytes > 0) {
      const chunks = s.unstored;
      const bytes = s.unstoredBytes;
      const end = s.received;
      s.unstored = [];
      s.unstoredBytes = 0;
      s.storingBytes += bytes;
      s.storing = s.storing.then(async () => {
        try {
          if (!s.storeError) await s.file.writev(chunks, end - bytes);
          s.stored = end;
        } catch (err) {
          s.storeError ??= err instanceof Error ? err : new Error(String(err));
        } finally {
          s.storingBytes -= bytes;
        }
      });
    }
    if (checkpointAt !== undefined) s.storing = s.storing.then(() => this.checkpoint(s, checkpointAt));
  }

  /**
   * Saves the resume checkpoint (state.json) beside the file writes, not in
   * their line: a save costs milliseconds, and waiting for one per MiB
   * halved the write speed. Checkpoints asked for during a save are merged
   * into the next one. A checkpoint never names bytes that are not in the
   * file yet. No fsync: the simulated terminal loses power by its process
   * ending, which keeps written bytes.
   */
  private checkpoint(s: WriteSession, at: number): void {
    const pending = s.checkpointDue;
    s.checkpointDue = Math.max(at, pending ?? 0);
    if (pending !== undefined) return;
    const record = this.store.record.interruptedWrite;
    s.checkpointing = (async () => {
      while (s.checkpointDue !== undefined) {
        const upTo = Math.min(s.checkpointDue, s.stored);
        // Only this write's record, and only while nothing failed; WRITE_END or an abort replaces it.
        if (s.storeError || !record || this.store.record.interruptedWrite !== record) break;
        record.acknowledged = Math.max(record.acknowledged, upTo);
        await this.store.save().catch((err: unknown) => {
          s.storeError ??= err instanceof Error ? err : new Error(String(err));
        });
        if (s.checkpointDue <= upTo) break;
      }
      s.checkpointDue = undefined;
    })();
  }

  /** Stores every accepted chunk and waits until the file has them. */
  private async storeAccepted(s: WriteSession): Promise<void> {
    this.flushAccepted(s);
    await s.storing;
    await s.checkpointing;
    if (s.storeError) throw s.storeError;
  }

  private async slotVersion(slot: SlotName): Promise<string> {
    try {
      // The header alone: reading a whole 64 MiB slot back for its version cost as much as storing it.
      return parseFirmwareHeader(await this.store.readSlotHead(slot, FIRMWARE_HEADER_SIZE)).version;
    } catch {
      // A headerless image is stored as is; the bootloader will refuse it.
      return '';
    }
  }

  private async abortWrite(why: string): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.session = undefined;
    if (s.kind === 'delta') {
      this.store.log(`agent: delta for slot ${s.slot} abandoned at ${s.received} of ${s.total} patch bytes: ${why}`);
      return;
    }
    // What was acknowledged is stored before the resume point says so; after a failed file write, only what reached the file.
    await this.storeAccepted(s).catch(() => undefined);
    await s.file.close().catch(() => undefined);
    if (s.imageSha256 !== undefined) {
      this.store.record.interruptedWrite = { slot: s.slot, totalLength: s.total, imageSha256: s.imageSha256, acknowledged: s.storeError ? s.stored : s.received };
    }
    this.store.log(`agent: write of slot ${s.slot} aborted at ${s.received} of ${s.total} bytes: ${why}`);
    await this.store.save();
  }

  private async readSlotRange(p: Uint8Array): Promise<Uint8Array> {
    const q = decodeReadSlot(p);
    if (this.config.singleSlot && q.slot !== 'a') throw new Refusal(DeviceError.BAD_SLOT, 'this terminal has one slot (a)');
    if (q.length > this.config.maxChunkBytes) throw new Refusal(DeviceError.CHUNK_TOO_LARGE, `read of ${q.length} bytes, at most ${this.config.maxChunkBytes}`);
    if (q.offset + q.length > this.store.record.slotSize) throw new Refusal(DeviceError.TOO_LARGE, `read up to ${q.offset + q.length}, the slot holds ${this.store.record.slotSize}`);
    return this.store.readRange(q.slot, q.offset, q.length);
  }

  private requireDelta(): void {
    if (!(this.capabilities & Capability.DELTA)) throw new Refusal(DeviceError.UNKNOWN_COMMAND, 'this agent cannot apply deltas');
  }

  /** Checks everything, the running image's hash last, before any state changes. */
  private async deltaBegin(q: DeltaBeginRequest, conn: DeviceConnection): Promise<Uint8Array> {
    this.requireDelta();
    const rec = this.store.record;
    this.checkTargetSlot(q.slot);
    if (q.patchLength === 0) throw new Refusal(DeviceError.BAD_PAYLOAD, 'patch of 0 bytes');
    if (q.patchLength > this.maxPatchBytes) throw new Refusal(DeviceError.TOO_LARGE, `patch of ${q.patchLength} bytes, staging holds ${this.maxPatchBytes}`);
    if (q.targetLength === 0 || q.targetLength > rec.slotSize) throw new Refusal(DeviceError.TOO_LARGE, `result of ${q.targetLength} bytes, the slot holds ${rec.slotSize}`);
    if (q.sourceLength > rec.slotSize) throw new Refusal(DeviceError.TOO_LARGE, `source of ${q.sourceLength} bytes, the slot holds ${rec.slotSize}`);
    if (this.session && this.session.connection !== conn) throw new Refusal(DeviceError.WRONG_STATE, `slot ${this.session.slot} is being written over another connection`);
    const actual = await this.store.hashSlot(rec.runningSlot, q.sourceLength);
    if (hexOf(actual) !== hexOf(q.sourceSha256)) {
      throw new Refusal(DeviceError.SOURCE_MISMATCH, `running slot ${rec.runningSlot} is ${hexOf(actual).slice(0, 16)}…, the delta needs ${hexOf(q.sourceSha256).slice(0, 16)}…`);
    }
    await this.abortWrite('a delta began');
    this.session = { kind: 'delta', slot: q.slot, total: q.patchLength, received: 0, staging: new Uint8Array(q.patchLength), connection: conn, request: q };
    this.store.log(`agent: delta for slot ${q.slot} began, ${q.patchLength} patch bytes, source ${rec.runningSlot} checked`);
    return new Uint8Array();
  }

  private deltaChunk(q: ReceivedChunk, conn: DeviceConnection): Uint8Array {
    this.requireDelta();
    const s = this.session;
    if (!s || s.kind !== 'delta' || s.connection !== conn) throw new Refusal(DeviceError.WRONG_STATE, 'no delta in progress on this connection');
    const length = q.data.length;
    if (length > this.config.maxChunkBytes) throw new Refusal(DeviceError.CHUNK_TOO_LARGE, `${length} bytes, at most ${this.config.maxChunkBytes}`);
    if (q.offset !== s.received) throw new Refusal(DeviceError.BAD_OFFSET, `offset ${q.offset}, expected ${s.received}`);
    if (q.offset + length > s.total) throw new Refusal(DeviceError.TOO_LARGE, `chunk ends at ${q.offset + length}, beyond the announced ${s.total} bytes`);
    if (q.actualCrc !== q.dataCrc) throw new Refusal(DeviceError.BAD_CRC, `chunk at ${q.offset}: data CRC does not match`);
    s.staging.set(q.data, q.offset);
    s.received += length;
    this.payloadBytesReceived += length;
    return encodeU32(s.received);
  }

  /** Applies the staged patch; the target slot changes only once the result checked out. */
  private async deltaEnd(conn: DeviceConnection): Promise<Uint8Array> {
    this.requireDelta();
    const s = this.session;
    if (!s || s.kind !== 'delta' || s.connection !== conn) throw new Refusal(DeviceError.WRONG_STATE, 'no delta in progress on this connection');
    if (s.received !== s.total) throw new Refusal(DeviceError.INCOMPLETE, `${s.received} of ${s.total} patch bytes received`);
    this.session = undefined;
    const rec = this.store.record;
    const q = s.request;
    const source = await this.store.readRange(rec.runningSlot, 0, q.sourceLength);
    let result: Uint8Array;
    try {
      result = await this.config.deltaApplier!(source, s.staging);
    } catch (err) {
      this.store.log(`agent: delta for slot ${s.slot} failed to apply: ${err instanceof Error ? err.message : String(err)}`);
      throw new Refusal(DeviceError.DELTA_FAILED, `the patch did not apply: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.config.faults.some((f) => f.kind === 'delta-corrupt') && result.length > 0) {
      result = result.slice();
      const at = Math.floor(result.length / 2);
      result[at] = result[at]! ^ 0x10;
    }
    const hash = hexOf(createHash('sha256').update(result).digest());
    if (result.length !== q.targetLength || hash !== hexOf(q.targetSha256)) {
      this.store.log(`agent: delta for slot ${s.slot} produced ${result.length} bytes ${hash.slice(0, 16)}…, expected ${q.targetLength} bytes ${hexOf(q.targetSha256).slice(0, 16)}…`);
      throw new Refusal(DeviceError.HASH_MISMATCH, `result is ${result.length} bytes with SHA-256 ${hash.slice(0, 16)}…, expected ${q.targetLength} bytes ${hexOf(q.targetSha256).slice(0, 16)}…`);
    }
    if (rec.interruptedWrite?.slot === s.slot) rec.interruptedWrite = undefined;
    await this.store.replaceSlot(s.slot, result);
    const version = await this.slotVersion(s.slot);
    this.store.setSlot(s.slot, 'unbootable', 0, version);
    if (rec.bootSlot === s.slot && !this.config.singleSlot) rec.bootSlot = rec.runningSlot;
    this.store.log(`agent: delta applied into slot ${s.slot}, ${result.length} bytes, version '${version}'`);
    return encodeVersion(version);
  }

  private setActive(slot: SlotName): Uint8Array {
    const rec = this.store.record;
    const s = rec.slots[slot];
    if (s.state === 'empty') throw new Refusal(DeviceError.SLOT_EMPTY, `slot ${slot} was never written`);
    if (rec.interruptedWrite?.slot === slot) rec.interruptedWrite = undefined;
    rec.bootSlot = slot;
    if (s.state === 'good') {
      this.store.log(`agent: slot ${slot} set active (good)`);
    } else {
      this.store.setSlot(slot, 'pending', this.config.maxTries);
      this.store.log(`agent: slot ${slot} set active (pending, ${this.config.maxTries} tries)`);
    }
    if (slot === rec.runningSlot && rec.slots[otherSlot(slot)].state === 'pending') {
      // Going back to the running slot cancels the other slot's trial.
      this.store.setSlot(otherSlot(slot), 'unbootable', 0);
    }
    return new Uint8Array();
  }

  private confirm(): Uint8Array {
    const rec = this.store.record;
    const slot = rec.runningSlot;
    if (rec.slots[slot].state === 'pending') {
      this.store.setSlot(slot, 'good', this.config.maxTries);
      this.store.log(`agent: slot ${slot} confirmed good (${rec.slots[slot].version})`);
    }
    return new Uint8Array();
  }

  private readLog(fromLine: number): Uint8Array {
    const all = this.store.record.log;
    const lines: string[] = [];
    let size = 6;
    for (let i = fromLine; i < all.length; i++) {
      const line = all[i]!.slice(0, 1000);
      const bytes = 2 + new TextEncoder().encode(line).length;
      if (size + bytes > MAX_PAYLOAD_BYTES) break;
      size += bytes;
      lines.push(line);
    }
    return encodeLogPage({ totalLines: all.length, lines });
  }
}
