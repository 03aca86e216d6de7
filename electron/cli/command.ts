/** Where a command writes, and what it knows of its surroundings. Injected so tests can capture it. */
export interface CliContext {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user asks to stop (Ctrl-C); long-running commands await it. */
  interrupted: Promise<void>;
}

/**
 * One `zuc` sub-command. `run` returns the exit status: 0 success, 1 the
 * operation ran and failed (a job failed or rolled back, a check refused),
 * 2 bad usage or input. Failures are thrown as ZucError; main prints them.
 */
export interface Command {
  name: string;
  /** One line for `zuc --help`. */
  summary: string;
  /** Full usage for `zuc NAME --help`. */
  usage: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
