import { runCli } from './run-cli';

/** A long command stops cleanly on Ctrl-C; one that does not within 3 s is ended. */
const interrupted = new Promise<void>((resolve) => {
  const stop = (): void => {
    resolve();
    setTimeout(() => process.exit(130), 3000).unref();
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
