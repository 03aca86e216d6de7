import { E, ZucError } from '../../../electron/shared/errors';
import type { SlotName, TerminalDriver, TerminalIdentity, WriteOptions } from '../../terminal/terminal-driver';
import type { ByteLink, Disposable } from '../../transport/byte-link';
import { Command, commandName } from './commands';
import { crc32 } from './crc32';
import { deviceErrorToZuc } from './device-errors';
import { encodeFrame, FrameFlag, KNOWN_FLAGS, MAX_PAYLOAD_BYTES, PROTOCOL_VERSION, type Frame } from './frame';
import { FrameDecoder, type DecodeEvent } from './frame-decoder';
import {
  CHUNK_OVERHEAD_BYTES,
  decodeErrorReply,
  decodeHashResponse,
  decodeIdentifyReport,
  decodeLogPage,
  decodeSlotsReport,
  decodeU32,
  decodeVersion,
  encodeHashSlot,
  encodeSlotOnly,
  encodeU32,
  encodeWriteBegin,
  encodeWriteChunk,
  expectEmptyPayload,
  type IdentifyReport,
  type SlotsReport,
} from './messages';

export const RESPONSE_TIMEOUT_MS = 3000;
export const WRITE_ACK_TIMEOUT_MS = 10_000;
export const HASH_TIMEOUT_MS = 30_000;
export const DEFAULT_CHUNK_BYTES = 32 * 1024;
export const DEFAULT_WINDOW_CHUNKS = 8;

export interface AgentClientOptions {
  responseTimeoutMs?: number;
  writeAckTimeoutMs?: number;
  hashTimeoutMs?: number;
  /** Bytes per WRITE_CHUNK; the terminal's maxChunkBytes caps it. */
  chunkBytes?: number;
  /** Chunks in flight; the terminal's maxWindow caps it. */
  windowChunks?: number;
}

interface PendingRequest {
  seq: number;
  type: number;
  timeoutMs: number;
  resolve(frame: Frame): void;
  reject(error: ZucError): void;
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
  private limits: IdentifyReport | undefined;
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
      };
    });
  }

  /** Slot states plus which slot boots next (the driver interface only knows the running one). */
  readSlots(): Promise<SlotsReport> {
    return this.serial(() => this.request(Command.READ_SLOTS, new Uint8Array(), decodeSlotsReport));
  }

  writeSlot(slot: SlotName, image: Uint8Array, options: WriteOptions = {}): Promise<void> {
    return this.serial(async () => {
      if (image.length === 0) throw new ZucError(E.IMAGE_EMPTY, 'refusing to write 0 bytes');
      throwIfAborted(options.signal);
      const limits = this.limits ?? (await this.identifyReport());
      await this.request(Command.WRITE_BEGIN, encodeWriteBegin({ slot, totalLength: image.length }), expectEmpty);
      await this.sendWindowed(image, limits, options);
      await this.request(Command.WRITE_END, new Uint8Array(), decodeVersion);
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

  private async identifyReport(): Promise<IdentifyReport> {
    const report = await this.request(Command.IDENTIFY, new Uint8Array(), decodeIdentifyReport);
    this.limits = report;
    return report;
  }

  private async simple(type: number, payload: Uint8Array): Promise<void> {
    await this.request(type, payload, expectEmpty);
  }

  private async sendWindowed(image: Uint8Array, limits: IdentifyReport, options: WriteOptions): Promise<void> {
    const chunkBytes = Math.max(1, Math.min(this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES, limits.maxChunkBytes, MAX_PAYLOAD_BYTES - CHUNK_OVERHEAD_BYTES));
    const windowChunks = Math.max(1, Math.min(this.options.windowChunks ?? DEFAULT_WINDOW_CHUNKS, limits.maxWindow));
    const ackTimeout = this.options.writeAckTimeoutMs ?? WRITE_ACK_TIMEOUT_MS;
    let sent = 0;
    let acked = 0;
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
          this.request(Command.WRITE_CHUNK, encodeWriteChunk({ offset, dataCrc: crc32(data), data }), checkAck, ackTimeout)
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
  private request<T>(type: number, payload: Uint8Array, decode: (payload: Uint8Array) => T, timeoutMs?: number): Promise<T> {
    if (this.lostWith) return Promise.reject(new ZucError(E.LINK_LOST, this.lostWith.detail));
    const seq = this.nextSeq;
    this.nextSeq = (seq + 1) & 0xffff;
    const flags = this.needSync ? FrameFlag.SYNC : 0;
    this.needSync = false;
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
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
      this.link.write(encodeFrame({ type, flags, seq, payload })).catch((err: unknown) => this.failAll(ZucError.from(err)));
    });
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
            h.reject(deviceErrorToZuc(decodeErrorReply(frame.payload), frame.type));
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

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ZucError(E.CANCELLED, 'cancelled before the write began');
}

/** A TerminalDriver speaking the agent protocol over an open link. */
export function createAgentClient(link: ByteLink, options?: AgentClientOptions): AgentClient {
  return new AgentClient(link, options);
}
