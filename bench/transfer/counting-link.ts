import type { ByteLink, Disposable } from '../../native/transport/byte-link';

/** A ByteLink that counts what crosses it each way: every frame byte the agent protocol puts on the wire. */
export class CountingLink implements ByteLink {
  bytesOut = 0;
  bytesIn = 0;

  constructor(private readonly inner: ByteLink) {}

  get kind(): ByteLink['kind'] {
    return this.inner.kind;
  }
  get address(): string {
    return this.inner.address;
  }
  get closed(): boolean {
    return this.inner.closed;
  }

  write(bytes: Uint8Array): Promise<void> {
    this.bytesOut += bytes.length;
    return this.inner.write(bytes);
  }

  writeParts(parts: readonly Uint8Array[]): Promise<void> {
    for (const part of parts) this.bytesOut += part.length;
    if (this.inner.writeParts) return this.inner.writeParts(parts);
    return this.inner.write(Buffer.concat(parts));
  }

  onData(listener: (chunk: Uint8Array) => void): Disposable {
    return this.inner.onData((chunk) => {
      this.bytesIn += chunk.length;
      listener(chunk);
    });
  }

  onClose(listener: Parameters<ByteLink['onClose']>[0]): Disposable {
    return this.inner.onClose(listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
