import { runCli } from './run-cli';

/**
 * A long command stops cleanly on the first Ctrl-C (the terminal is left on its running firmware and the job is
 * recorded); a second Ctrl-C, or a clean stop that takes longer than 15 s, ends the process at once.
 */
const interrupted = new Promise<void>((resolve) => {
  const stop = (): void => {
    resolve();
    process.once('SIGINT', () => process.exit(130));
    process.once('SIGTERM', () => process.exit(130));
    setTimeout(() => process.exit(130), 15_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});

const status = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  interrupted,
});
process.exitCode = status;
