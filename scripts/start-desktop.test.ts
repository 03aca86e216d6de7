import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronExecutable, installerFailureReason, runRuntimeInstaller, type FetchOutcome } from './electron-runtime';
import { EXIT_BUILD_FAILED, EXIT_NO_NATIVE_MODULES, EXIT_NO_RUNTIME, startDesktop, type StartDesktopDeps } from './start-desktop';

function scenario(overrides: Partial<StartDesktopDeps> & { runtime?: string | null; fetch?: FetchOutcome; afterFetch?: string | null }) {
  const calls: string[] = [];
  const failures: string[] = [];
  let runtime = overrides.runtime ?? null;
  const deps: StartDesktopDeps = {
    findRuntime: () => runtime,
    fetchRuntime: async () => {
      calls.push('fetch');
      const outcome = overrides.fetch ?? { ok: true };
      if (outcome.ok) runtime = overrides.afterFetch === undefined ? '/e/electron' : overrides.afterFetch;
      return outcome;
    },
    build: async () => {
      calls.push('build');
      return '/app';
    },
    prepareNative: async (appDir) => {
      calls.push(`native ${appDir}`);
      return { ok: true };
    },
    launch: async (executable, appDir) => {
      calls.push(`launch ${executable} ${appDir}`);
      return 0;
    },
    info: () => {},
    fail: (message) => failures.push(message),
    ...overrides,
  };
  return { deps, calls, failures };
}

describe('npm start', () => {
  it('builds and launches at once when the Electron runtime is installed', async () => {
    const { deps, calls, failures } = scenario({ runtime: '/e/electron' });
    expect(await startDesktop(deps)).toBe(0);
    expect(calls).toEqual(['build', 'native /app', 'launch /e/electron /app']);
    expect(failures).toEqual([]);
  });

  it('fetches a missing runtime, then builds and launches', async () => {
    const { deps, calls } = scenario({ runtime: null, fetch: { ok: true } });
    expect(await startDesktop(deps)).toBe(0);
    expect(calls).toEqual(['fetch', 'build', 'native /app', 'launch /e/electron /app']);
  });

  it('when the runtime cannot be fetched, says why in one message that names `npm run demo`, and exits non-zero', async () => {
    const { deps, calls, failures } = scenario({ runtime: null, fetch: { ok: false, reason: 'github.com cannot be reached' } });
    expect(await startDesktop(deps)).toBe(EXIT_NO_RUNTIME);
    expect(calls).toEqual(['fetch']);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('Electron runtime');
    expect(failures[0]).toContain('github.com cannot be reached');
    expect(failures[0]).toContain('npm run demo');
    expect(failures[0]).not.toMatch(/\n\s+at /);
  });

  it('treats an installer that succeeds without leaving a runtime as a failure', async () => {
    const { deps, failures } = scenario({ runtime: null, fetch: { ok: true }, afterFetch: null });
    expect(await startDesktop(deps)).toBe(EXIT_NO_RUNTIME);
    expect(failures[0]).toContain('npm run demo');
  });

  it('turns a fetch that throws into the same one message', async () => {
    const { deps, failures } = scenario({
      runtime: null,
      fetchRuntime: () => Promise.reject(new Error('spawn EACCES\n    at somewhere')),
    });
    expect(await startDesktop(deps)).toBe(EXIT_NO_RUNTIME);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('spawn EACCES');
    expect(failures[0]).not.toContain('somewhere');
  });

  it('reports a failed build in one line and does not launch', async () => {
    const { deps, calls, failures } = scenario({
      runtime: '/e/electron',
      build: () => Promise.reject(new Error('renderer/dist/index.html is missing')),
    });
    expect(await startDesktop(deps)).toBe(EXIT_BUILD_FAILED);
    expect(calls).toEqual([]);
    expect(failures).toEqual(['The desktop console could not be built: renderer/dist/index.html is missing']);
  });

  it('when the Electron build of the database module cannot be fetched, says so and names `npm run demo`', async () => {
    const { deps, calls, failures } = scenario({
      runtime: '/e/electron',
      prepareNative: async () => ({ ok: false, reason: 'better-sqlite3 for Electron 41.7.1: getaddrinfo ENOTFOUND github.com' }),
    });
    expect(await startDesktop(deps)).toBe(EXIT_NO_NATIVE_MODULES);
    expect(calls).toEqual(['build']);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('better-sqlite3 for Electron 41.7.1');
    expect(failures[0]).toContain('npm run demo');
  });

  it('passes on the exit status of Electron', async () => {
    const { deps } = scenario({ runtime: '/e/electron', launch: async () => 7 });
    expect(await startDesktop(deps)).toBe(7);
  });
});

describe('Electron runtime', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'zuc-electron-runtime-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('is found only when path.txt names an executable that exists', async () => {
    expect(electronExecutable(tmp)).toBeNull();
    await writeFile(path.join(tmp, 'path.txt'), 'electron');
    expect(electronExecutable(tmp)).toBeNull();
    await mkdir(path.join(tmp, 'dist'));
    await writeFile(path.join(tmp, 'dist', 'electron'), '');
    expect(electronExecutable(tmp)).toBe(path.join(tmp, 'dist', 'electron'));
  });

  it('explains an installer that failed with a stack trace in one line', async () => {
    const installer = path.join(tmp, 'install.cjs');
    await writeFile(
      installer,
      `console.error('RequestError: getaddrinfo ENOTFOUND github.com\\n    at ClientRequest.<anonymous> (got/index.js:970:111)\\n    at emit (node:events:1:1)'); process.exit(1);`,
    );
    const outcome = await runRuntimeInstaller(installer);
    expect(outcome).toEqual({ ok: false, reason: expect.stringContaining('github.com cannot be reached') });
    expect((outcome as { reason: string }).reason).not.toContain('\n');
  });

  it('gives up on an installer that hangs', async () => {
    const installer = path.join(tmp, 'install.cjs');
    await writeFile(installer, 'setInterval(() => {}, 1000);');
    const outcome = await runRuntimeInstaller(installer, 300);
    expect(outcome).toEqual({ ok: false, reason: 'the download did not finish within 300 ms' });
  });

  it('accepts an installer that succeeds', async () => {
    const installer = path.join(tmp, 'install.cjs');
    await writeFile(installer, 'process.exit(0);');
    expect(await runRuntimeInstaller(installer)).toEqual({ ok: true });
  });

  it('reads the reason from other installer failures', () => {
    expect(installerFailureReason('HTTPError: Response code 404 (Not Found)\n    at x', 1)).toBe('Response code 404 (Not Found)');
    expect(installerFailureReason('', 1)).toBe('the installer exited with code 1');
    expect(installerFailureReason('something odd happened\n', 2)).toBe('something odd happened');
  });
});
