// Finding and fetching the Electron runtime for `npm start`. The electron
// package's own install script is not run by `npm ci` (package.json
// allowScripts), so the runtime is fetched on first start instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** How long the runtime download may take before we give up on it. */
export const RUNTIME_FETCH_TIMEOUT_MS = 180_000;
const REASON_MAX_CHARS = 160;

/** The Electron executable when the runtime is installed, else null. */
export function electronExecutable(electronPackageDir: string): string | null {
  try {
    const relative = readFileSync(path.join(electronPackageDir, 'path.txt'), 'utf8').trim();
    const executable = path.join(electronPackageDir, 'dist', relative);
    return relative && existsSync(executable) ? executable : null;
  } catch {
    return null;
  }
}

export type FetchOutcome = { ok: true } | { ok: false; reason: string };

/** Runs Electron's installer (a download from GitHub) with a deadline. */
export function runRuntimeInstaller(installerPath: string, timeoutMs = RUNTIME_FETCH_TIMEOUT_MS): Promise<FetchOutcome> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, [installerPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-16_384));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ok: false, reason: `the download did not finish within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}` });
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `the installer could not run (${err.message})` });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return;
      resolve(code === 0 ? { ok: true } : { ok: false, reason: installerFailureReason(output, code) });
    });
  });
}

/** One line saying why the installer failed, from its output (a stack trace). */
export function installerFailureReason(output: string, exitCode: number | null): string {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('at '));
  const error = lines.find((l) => /^[\w.]*Error\b/.test(l)) ?? lines.at(-1);
  if (!error) return `the installer exited with code ${exitCode ?? 'unknown'}`;
  const message = error.replace(/^[\w.]*Error:\s*/, '');
  const host = /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) (\S+)/.exec(message)?.[1];
  const reason = host ? `${host} cannot be reached (${message}); this machine has no access to the download server` : message;
  return reason.length > REASON_MAX_CHARS ? `${reason.slice(0, REASON_MAX_CHARS - 1)}…` : reason;
}
