/**
 * The far end for `npm run bench:transfer`, in its own process (its own
 * core, as a real terminal is its own machine):
 * `tsx bench/transfer/peer-child.ts STATE_DIR SLOT_BYTES [LINK_BYTES_PER_S]`.
 * Serves two things on 127.0.0.1 and prints them as one JSON line:
 * - `terminal`: a simulated terminal (the real agent) with slots of SLOT_BYTES;
 * - `sink`: a raw TCP socket whose bytes go straight into a file; when the
 *   sender half-closes, the sink answers with one line `BYTES\n` after the
 *   file was closed, so the sender times the same thing the agent's
 *   WRITE_END stands for (the bytes are in the file).
 * Serves until stdin closes.
 */
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startSimulatedTerminal } from '../../native/simulator';

const [stateDir, slotText, linkText] = process.argv.slice(2);
const slotSize = Number(slotText);
const linkBytesPerSecond = Number(linkText ?? 0);
if (!stateDir || !Number.isSafeInteger(slotSize) || slotSize <= 0 || !(linkBytesPerSecond >= 0)) {
  process.stderr.write('usage: peer-child.ts STATE_DIR SLOT_BYTES [LINK_BYTES_PER_S]\n');
  process.exit(2);
}

const terminal = await startSimulatedTerminal({
  stateDir: path.join(stateDir, 'terminal'),
  model: 'MF286D',
  hwRevision: 'V1.0',
  version: 'B01',
  serial: 'BENCH00001',
  slotSize,
  bootMs: 0,
  ...(linkBytesPerSecond > 0 ? { linkBytesPerSecond } : {}),
});

let copies = 0;
const sink = net.createServer({ allowHalfOpen: true }, (socket) => {
  const file = createWriteStream(path.join(stateDir, `raw-${copies++}.bin`));
  let bytes = 0;
  socket.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    // Same back-pressure a careful writer would apply: stop reading while the file lags.
    if (!file.write(chunk)) {
      socket.pause();
      file.once('drain', () => socket.resume());
    }
  });
  socket.on('end', () => file.end(() => socket.end(`${bytes}\n`)));
  socket.on('error', () => file.destroy());
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));

process.stdout.write(JSON.stringify({ terminal: terminal.address, sink: (sink.address() as net.AddressInfo).port }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => {
  sink.close();
  void terminal.close().then(() => process.exit(0));
});
