import { createHash } from 'node:crypto';
import { E, ZucError } from '../../../electron/shared/errors';
import type { ApplyDeltaOptions, ReadOptions, SlotName, TerminalCapabilities, TerminalDriver, TerminalIdentity, WriteOptions } from '../../terminal/terminal-driver';
import type { ByteLink, Disposable } from '../../transport/byte-link';
import { Command, commandName, DeviceError } from './commands';
import { crc32 } from './crc32';
import { deviceErrorToZuc } from './device-errors';
import { chunkFrameParts, encodeFrame, FrameFlag, KNOWN_FLAGS, MAX_PAYLOAD_BYTES, PROTOCOL_VERSION, type Frame } from './frame';
import { FrameDecoder, type DecodeEvent } from './frame-decoder';
import {
  AGENT_PROTOCOL_VERSION,
  Capability,
  decodeIdentifyReportV2,
  encodeDeltaBegin,
  encodeIdentifyRequest,
  encodeReadSlot,
  encodeWriteBeginV2,
  type ErrorReply,
  type IdentifyReportV2,
  CHUNK_OVERHEAD_BYTES,
  decodeErrorReply,
  decodeHashResponse,
  decodeLogPage,
  decodeSlotsReport,
  decodeU32,
  decodeVersion,
  encodeHashSlot,
  encodeSlotOnly,
  encodeU32,
  encodeWriteBegin,
  expectEmptyPayload,
  type SlotsReport,
} from './messages';

export const RESPONSE_TIMEOUT_MS = 3000;
export const WRITE_ACK_TIMEOUT_MS = 10_000;
export const HASH_TIMEOUT_MS = 30_000;
export const DEFAULT_CHUNK_BYTES = 32 * 1024;
export const DEFAULT_WINDOW_CHUNKS = 8;
/**
 * Over TCP and USB the link is fast and reliable, so chunks are as large as a
 * frame comfortably allows (60 KiB: half the per-chunk work of 32 KiB for the
 * same bytes) and more are in flight (32, about 2 MiB): on loopback 32 KiB ×
 * 8 left the link idle half the time waiting for acks, and 16 × 60 KiB still
 * ran dry whenever the terminal paused to store. The terminal's limits
 * (maxChunkBytes, maxWindow) still cap both.
 */
export const FAST_LINK_CHUNK_BYTES = 60 * 1024;
export const FAST_LINK_WINDOW_CHUNKS = 32;
const FAST_LINK_KINDS: ReadonlySet<string> = new Set(['tcp', 'usb', 'memory']);

export interface AgentClientOptions {
  responseTimeoutMs?: number;
  writeAckTimeoutMs?: number;
  hashTimeoutMs?: number;
  /** Bytes per WRITE_CHUNK; the terminal's maxChunkBytes caps it. */
  chunkBytes?: number;
  /** Chunks in flight; the terminal's maxWindow caps it. */
  windowChunks?: number;
  /** Highest agent protocol version to offer, default 2; 1 behaves exactly like a v1 console. */
  maxProtocolVersion?: 1 | 2;
}

/** A request whose frame the caller builds itself (in parts, sent back to back) once the sequence number and flags are known. */
interface PrebuiltFrame {
  build(flags: number, seq: number): Uint8Array[];
}

interface PendingRequest {
  seq: number;
  type: number;
  timeoutMs: number;
  resolve(frame: Frame): void;
  reject(error: ZucError): void;
  /** Takes an error reply as an answer (returns true) instead of failing the request. */
  acceptError?(reply: ErrorReply): boolean;
}

/**
 * Console side of the ZTE terminal agent protocol v1 over one byte link.
 * Requests are pipelined: responses must come back in request order with
 * their request's sequence number. Only the oldest outstanding request has
 * a running timeout, so a full write window on a slow link does not time out.
 */
export class AgentClient implements TerminalDriver {
  private readonly decoder = new FrameDecoder();
  private readonly pending: PendingRequest[] = [];
  private readonly subscriptions: Disposable[];
  private headTimer: NodeJS.Timeout | undefined;
  private nextSeq = Math.floor(Math.random() * 0x10000);
  private needSync = true;
  private lostWith: ZucError | undefined;
  private limits: IdentifyReportV2 | undefined;
  /** Agent protocol version agreed in IDENTIFY; undefined until then. */
  private negotiated: number | undefined;
  /** Public operations run one after the other. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly link: ByteLink,
    private readonly options: AgentClientOptions = {},
  ) {
    this.subscriptions = [
      link.onData((chunk) => this.onEvents(this.decoder.push(chunk))),
      link.onClose((error) => {
        const truncated = this.decoder.finish();
        this.lostWith = truncated ?? error ?? new ZucError(E.LINK_LOST, `${link.address} was closed`);
        this.failAll(this.lostWith);
      }),
    ];
  }

  identify(): Promise<TerminalIdentity> {
    return this.serial(async () => {
      const r = await this.identifyReport();
      const running = r.slots.runningSlot;
      return {
        model: r.model,
        hwRevision: r.hwRevision,
        serial: r.serial,
        firmwareVersion: r.slots.slots[running].version,
        activeSlot: running,
        slots: r.slots.slots,
        slotSize: r.slotSize,
        agentVersion: r.agentVersion,
        capabilities: capabilitiesOf(r),
      };
    });
  }

  /** Slot states plus which slot boots next (the driver interface only knows the running one). */
  readSlots(): Promise<SlotsReport> {
    return this.serial(() => this.request(Command.READ_SLOTS, new Uint8Array(), decodeSlotsReport));
  }

  /** The agent protocol version agreed with the terminal (identifies first if needed). */
  protocolVersion(): Promise<number> {
    return this.serial(async () => (await this.currentLimits()).agentVersion);
  }

  writeSlot(slot: SlotName, image: Uint8Array, options: WriteOptions = {}): Promise<void> {
    return this.serial(async () => {
      if (image.length === 0) throw new ZucError(E.IMAGE_EMPTY, 'refusing to write 0 bytes');
      throwIfAborted(options.signal);
      const limits = await this.currentLimits();
      let from = 0;
      if (limits.agentVersion >= 2) {
        const imageSha256 = knownSha256(options.imageSha256) ?? new Uint8Array(createHash('sha256').update(image).digest());
        const begin = encodeWriteBeginV2({ slot, totalLength: image.length, imageSha256, resume: options.resume === true });
        from = await this.request(Command.WRITE_BEGIN, begin, (p) => decodeU32(p, 'WRITE_BEGIN response'));
        if (from > image.length || (from > 0 && !options.resume)) throw new ZucError(E.FRAME_MALFORMED, `terminal would resume at ${from} of ${image.length} bytes`);
        if (from > 0) options.onProgress?.(from);
      } else {
        await this.request(Command.WRITE_BEGIN, encodeWriteBegin({ slot, totalLength: image.length }), expectEmpty);
      }
      await this.sendWindowed(Command.WRITE_CHUNK, image, from, limits, options);
      await this.request(Command.WRITE_END, new Uint8Array(), decodeVersion);
    });
  }

  applyDelta(slot: SlotName, patch: Uint8Array, options: ApplyDeltaOptions): Promise<void> {
    return this.serial(async () => {
      if (patch.length === 0) throw new ZucError(E.IMAGE_EMPTY, 'refusing to send an empty patch');
      const sourceSha256 = sha256Bytes(options.source.sha256, 'source');
      const targetSha256 = sha256Bytes(options.target.sha256, 'target');
      for (const [what, n] of [['source', options.source.length], ['target', options.target.length]] as const) {
        if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new ZucError(E.BAD_REQUEST, `delta ${what} length ${n}`);
      }
      throwIfAborted(options.signal);
      const limits = await this.currentLimits();
      if (limits.agentVersion < 2) throw new ZucError(E.AGENT_UNSUPPORTED, `the terminal speaks agent protocol ${limits.agentVersion}, on-device delta needs 2`);
      const begin = { slot, patchLength: patch.length, sourceLength: options.source.length, sourceSha256, targetLength: options.target.length, targetSha256 };
      await this.request(Command.DELTA_BEGIN, encodeDeltaBegin(begin), expectEmpty);
      await this.sendWindowed(Command.DELTA_CHUNK, patch, 0, limits, options);
      await this.request(Command.DELTA_END, new Uint8Array(), decodeVersion, this.options.hashTimeoutMs ?? HASH_TIMEOUT_MS);
    });
  }

  readSlot(slot: SlotName, length: number, options: ReadOptions = {}): Promise<Uint8Array> {
    return this.serial(async () => {
      if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) throw new ZucError(E.BAD_REQUEST, `read length ${length}`);
      const limits = await this.currentLimits();
      if (limits.agentVersion < 2) throw new ZucError(E.AGENT_UNSUPPORTED, `the terminal speaks agent protocol ${limits.agentVersion}, reading a slot back needs 2`);
      const step = Math.max(1, Math.min(this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES, limits.maxChunkBytes, MAX_PAYLOAD_BYTES));
      const out = new Uint8Array(length);
      for (let offset = 0; offset < length; offset += step) {
        if (options.signal?.aborted) throw new ZucError(E.CANCELLED, `read stopped after ${offset} of ${length} bytes`);
        const n = Math.min(step, length - offset);
        const bytes = await this.request(Command.READ_SLOT, encodeReadSlot({ slot, offset, length: n }), (p) => {
          if (p.length !== n) throw new ZucError(E.FRAME_MALFORMED, `READ_SLOT at ${offset}: ${p.length} bytes, asked for ${n}`);
          return p;
        });
        out.set(bytes, offset);
        options.onProgress?.(offset + n);
      }
      return out;
    });
  }

  hashSlot(slot: SlotName, length: number): Promise<Uint8Array> {
    return this.serial(async () => {
      if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) throw new ZucError(E.BAD_REQUEST, `hash length ${length}`);
      const timeout = this.options.hashTimeoutMs ?? HASH_TIMEOUT_MS;
      return this.request(Command.HASH_SLOT, encodeHashSlot({ slot, length }), decodeHashResponse, timeout);
    });
  }

  setActive(slot: SlotName): Promise<void> {
    return this.serial(() => this.simple(Command.SET_ACTIVE, encodeSlotOnly(slot)));
  }

  reboot(): Promise<void> {
    return this.serial(() => this.simple(Command.REBOOT, new Uint8Array()));
  }

  confirm(): Promise<void> {
    return this.serial(() => this.simple(Command.CONFIRM, new Uint8Array()));
  }

  readLog(): Promise<string[]> {
    return this.serial(async () => {
      const lines: string[] = [];
      for (;;) {
        const page = await this.request(Command.READ_LOG, encodeU32(lines.length), decodeLogPage);
        lines.push(...page.lines);
        if (lines.length >= page.totalLines || page.lines.length === 0) return lines;
      }
    });
  }

  async close(): Promise<void> {
    for (const s of this.subscriptions) s.dispose();
    this.failAll(new ZucError(E.LINK_LOST, `${this.link.address}: the console closed the link`));
    await this.link.close();
  }

  private async currentLimits(): Promise<IdentifyReportV2> {
    return this.limits ?? (await this.identifyReport());
  }

  /**
   * IDENTIFY with version negotiation: offer our version; a v1 agent refuses
   * the payload (BAD_PAYLOAD) and is asked again the v1 way.
   */
  private async identifyReport(): Promise<IdentifyReportV2> {
    const offer = Math.min(this.options.maxProtocolVersion ?? AGENT_PROTOCOL_VERSION, AGENT_PROTOCOL_VERSION);
    let report: IdentifyReportV2 | undefined;
    if (offer >= 2 && this.negotiated !== 1) {
      report = await this.request(Command.IDENTIFY, encodeIdentifyRequest(offer), decodeIdentifyReportV2, undefined, (reply) => reply.code === DeviceError.BAD_PAYLOAD);
    }
    if (!report) {
      report = await this.request(Command.IDENTIFY, new Uint8Array(), decodeIdentifyReportV2);
      if (report.agentVersion !== 1 && report.extension) throw new ZucError(E.FRAME_MALFORMED, `terminal answered a v1 IDENTIFY as version ${report.agentVersion}`);
    }
    if (report.agentVersion > offer) throw new ZucError(E.FRAME_MALFORMED, `terminal chose agent protocol ${report.agentVersion}, the console offered ${offer}`);
    this.negotiated = report.agentVersion;
    this.limits = report;
    return report;
  }

  private async simple(type: number, payload: Uint8Array): Promise<void> {
    await this.request(type, payload, expectEmpty);
  }

  /** Sends `image` from `from` in windowed chunks of `chunkType` (WRITE_CHUNK or DELTA_CHUNK). */
  private async sendWindowed(chunkType: number, image: Uint8Array, from: number, limits: IdentifyReportV2, options: Pick<WriteOptions, 'onProgress' | 'signal'>): Promise<void> {
    const fast = FAST_LINK_KINDS.has(this.link.kind);
    const chunkBytes = Math.max(1, Math.min(this.options.chunkBytes ?? (fast ? FAST_LINK_CHUNK_BYTES : DEFAULT_CHUNK_BYTES), limits.maxChunkBytes, MAX_PAYLOAD_BYTES - CHUNK_OVERHEAD_BYTES));
    const windowChunks = Math.max(1, Math.min(this.options.windowChunks ?? (fast ? FAST_LINK_WINDOW_CHUNKS : DEFAULT_WINDOW_CHUNKS), limits.maxWindow));
    const ackTimeout = this.options.writeAckTimeoutMs ?? WRITE_ACK_TIMEOUT_MS;
    let sent = from;
    let acked = from;
    let inFlight = 0;
    let failure: ZucError | undefined;
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        if (options.signal?.aborted) failure ??= new ZucError(E.CANCELLED, `write stopped after ${acked} of ${image.length} bytes`);
        while (!failure && inFlight < windowChunks && sent < image.length) {
          const offset = sent;
          const data = image.subarray(offset, offset + chunkBytes);
          sent += data.length;
          inFlight++;
          const end = offset + data.length;
          const checkAck = (p: Uint8Array): void => {
            const next = decodeU32(p, 'WRITE_CHUNK ack');
            if (next !== end) throw new ZucError(E.FRAME_MALFORMED, `ack for offset ${offset} says ${next}, expected ${end}`);
          };
          const dataCrc = crc32(data);
          this.request(chunkType, { build: (flags, seq) => chunkFrameParts({ type: chunkType, flags, seq }, offset, dataCrc, data) }, checkAck, ackTimeout)
            .then(() => {
              acked = end;
              options.onProgress?.(acked);
            })
            .catch((err: unknown) => {
              failure ??= ZucError.from(err);
            })
            .finally(() => {
              inFlight--;
              if (inFlight === 0 && (failure || sent === image.length)) resolve();
              else pump();
            });
        }
        if (inFlight === 0) resolve();
      };
      pump();
    });
    if (failure) throw failure;
  }

  /**
   * Sends one request and resolves with its decoded response. Decoding runs
   * as the response arrives, so a malformed payload fails this request only.
   */
  private request<T>(type: number, payload: Uint8Array | PrebuiltFrame, decode: (payload: Uint8Array) => T, timeoutMs?: number): Promise<T>;
  private request<T>(type: number, payload: Uint8Array | PrebuiltFrame, decode: (payload: Uint8Array) => T, timeoutMs: number | undefined, acceptError: (reply: ErrorReply) => boolean): Promise<T | undefined>;
  private request<T>(type: number, payload: Uint8Array | PrebuiltFrame, decode: (payload: Uint8Array) => T, timeoutMs?: number, acceptError?: (reply: ErrorReply) => boolean): Promise<T | undefined> {
    if (this.lostWith) return Promise.reject(new ZucError(E.LINK_LOST, this.lostWith.detail));
    const seq = this.nextSeq;
    this.nextSeq = (seq + 1) & 0xffff;
    const flags = this.needSync ? FrameFlag.SYNC : 0;
    this.needSync = false;
    return new Promise<T | undefined>((resolve, reject) => {
      this.pending.push({
        acceptError: acceptError
          ? (reply) => {
              if (!acceptError(reply)) return false;
              resolve(undefined);
              return true;
            }
          : undefined,
        seq,
        type,
        timeoutMs: timeoutMs ?? this.options.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS,
        resolve: (frame) => {
          try {
            resolve(decode(frame.payload));
          } catch (err) {
            this.needSync = true;
            reject(ZucError.from(err));
          }
        },
        reject,
      });
      if (this.pending.length === 1) this.armHeadTimer();
      const sent = payload instanceof Uint8Array ? this.link.write(encodeFrame({ type, flags, seq, payload })) : this.writeParts(payload.build(flags, seq));
      sent.catch((err: unknown) => this.failAll(ZucError.from(err)));
    });
  }

  private writeParts(parts: Uint8Array[]): Promise<void> {
    return this.link.writeParts ? this.link.writeParts(parts) : this.link.write(Buffer.concat(parts));
  }

  private onEvents(events: DecodeEvent[]): void {
    for (const event of events) {
      const head = this.pending[0];
      if (event.kind === 'corrupt') {
        if (head && head.seq === event.seq) this.settleHead((h) => h.reject(event.error));
        else this.failAll(event.error);
        continue;
      }
      const { frame } = event;
      if (frame.version !== PROTOCOL_VERSION) {
        this.failAll(new ZucError(E.AGENT_UNSUPPORTED, `terminal speaks agent protocol version ${frame.version}, the console ${PROTOCOL_VERSION}`));
      } else if (!(frame.flags & FrameFlag.RESPONSE) || frame.flags & ~KNOWN_FLAGS) {
        this.failAll(new ZucError(E.FRAME_MALFORMED, `frame with flags 0x${frame.flags.toString(16)} where a response was expected`));
      } else if (!head) {
        this.failAll(new ZucError(E.FRAME_OUT_OF_ORDER, `response seq ${frame.seq} to ${commandName(frame.type)} while nothing was asked`));
      } else if (frame.seq !== head.seq) {
        this.failAll(new ZucError(E.FRAME_OUT_OF_ORDER, `response seq ${frame.seq}, expected ${head.seq} (${commandName(head.type)})`));
      } else if (frame.type !== head.type) {
        this.failAll(new ZucError(E.FRAME_MALFORMED, `response to ${commandName(frame.type)} for a ${commandName(head.type)} request`));
      } else if (frame.flags & FrameFlag.ERROR) {
        this.settleHead((h) => {
          try {
            const reply = decodeErrorReply(frame.payload);
            if (h.acceptError?.(reply)) return;
            h.reject(deviceErrorToZuc(reply, frame.type));
          } catch (err) {
            h.reject(ZucError.from(err));
          }
        });
      } else {
        this.settleHead((h) => h.resolve(frame));
      }
    }
  }

  private settleHead(settle: (head: PendingRequest) => void): void {
    const head = this.pending.shift()!;
    clearTimeout(this.headTimer);
    this.armHeadTimer();
    settle(head);
  }

  private armHeadTimer(): void {
    const head = this.pending[0];
    if (!head) return;
    this.headTimer = setTimeout(() => {
      const what = `${commandName(head.type)} seq ${head.seq}`;
      const error = this.decoder.hasPartialFrame
        ? new ZucError(E.FRAME_TRUNCATED, `${what}: the response stopped in mid-frame`)
        : new ZucError(E.LINK_TIMEOUT, `${what}: no answer within ${head.timeoutMs} ms`);
      this.decoder.reset();
      this.failAll(error);
    }, head.timeoutMs);
  }

  /** Fails every outstanding request; the next request re-synchronises the sequence. */
  private failAll(error: ZucError): void {
    clearTimeout(this.headTimer);
    this.needSync = true;
    for (const p of this.pending.splice(0)) p.reject(error);
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function expectEmpty(payload: Uint8Array): void {
  expectEmptyPayload(payload, 'response');
}

function capabilitiesOf(r: IdentifyReportV2): TerminalCapabilities {
  const caps = r.extension?.capabilities ?? 0;
  return {
    resume: (caps & Capability.RESUME) !== 0,
    delta: (caps & Capability.DELTA) !== 0,
    readSlot: (caps & Capability.READ_SLOT) !== 0,
    slots: r.extension?.slotCount ?? 2,
  };
}

function sha256Bytes(hex: string, what: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new ZucError(E.BAD_REQUEST, `delta ${what} SHA-256 '${hex.slice(0, 70)}' is not 64 hex digits`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** The caller's SHA-256 of the image as bytes; undefined (hash it here) when absent or not 64 hex digits. */
function knownSha256(hex: string | undefined): Uint8Array | undefined {
  return hex !== undefined && /^[0-9a-f]{64}$/i.test(hex) ? new Uint8Array(Buffer.from(hex, 'hex')) : undefined;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ZucError(E.CANCELLED, 'cancelled before the write began');
}

/** A TerminalDriver speaking the agent protocol over an open link. */
export function createAgentClient(link: ByteLink, options?: AgentClientOptions): AgentClient {
  return new AgentClient(link, options);
}
