import type { ByteLink } from '../transport/byte-link';
import { openLink } from '../transport/open-link';
import { createPtyPair, type PtyPair } from './pty-pair';

/**
 * The terminal's serial console over a socat PTY pair. The line never goes
 * away: while the terminal boots (or after a simulated cable pull) the
 * agent simply ignores what arrives.
 */
export class PtyEndpoint {
  private constructor(
    private readonly pair: PtyPair,
    readonly link: ByteLink,
  ) {}

  static async start(dir: string): Promise<PtyEndpoint> {
    const pair = await createPtyPair(dir);
    try {
      return new PtyEndpoint(pair, await openLink(pair.devicePath));
    } catch (err) {
      await pair.close();
      throw err;
    }
  }

  get address(): string {
    return this.pair.consolePath;
  }

  /** Bootloader output on the console line: text the console's decoder skips as garbage. */
  async banner(text: string): Promise<void> {
    await this.link.write(new TextEncoder().encode(`\r\n${text}\r\n`)).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.link.close();
    await this.pair.close();
  }
}
