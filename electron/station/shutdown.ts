/** How long closing may take before the process exits anyway (a stuck terminal must not keep the port). */
const SHUTDOWN_GRACE_MS = 10_000;

/** Runs `close` once on Ctrl-C or SIGTERM, then exits; a second signal exits at once. */
export function closeOnSignal(close: () => Promise<void>): void {
  let closing = false;
  const onSignal = () => {
    if (closing) process.exit(130);
    closing = true;
    process.stdout.write('\nClosing the console…\n');
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`Error while closing: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
