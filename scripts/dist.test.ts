import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FetchOutcome } from './electron-runtime';
import { builderArgs, dist, EXIT_BUILD_FAILED, EXIT_NO_RUNTIME, type DistDeps, type DistOptions } from './dist';

const root = path.resolve(import.meta.dirname, '..');
const options: DistOptions = { userArgs: [], electronDistDir: '/e/dist', hostPlatform: 'linux' };

function scenario(runtime: string | null, fetch: FetchOutcome = { ok: false, reason: 'github.com cannot be reached' }, overrides: Partial<DistDeps> = {}) {
  const calls: string[] = [];
  const failures: string[] = [];
  let current = runtime;
  const deps: DistDeps = {
    findRuntime: () => current,
    fetchRuntime: async () => {
      calls.push('fetch');
      if (fetch.ok) current = '/e/dist/electron';
      return fetch;
    },
    build: async () => {
      calls.push('build');
      return '/app';
    },
    runBuilder: async (args) => {
      calls.push(`builder ${args.join(' ')}`);
      return 0;
    },
    info: () => {},
    fail: (message) => failures.push(message),
    ...overrides,
  };
  return { deps, calls, failures };
}

describe('npm run dist', () => {
  it('builds the bundle, then packages with our config and the local runtime', async () => {
    const { deps, calls, failures } = scenario('/e/dist/electron');
    expect(await dist(deps, options)).toBe(0);
    expect(calls).toEqual(['build', 'builder --config build/electron-builder.yml -c.electronDist=/e/dist']);
    expect(failures).toEqual([]);
  });

  it('fetches a missing runtime first', async () => {
    const { deps, calls } = scenario(null, { ok: true });
    expect(await dist(deps, options)).toBe(0);
    expect(calls[0]).toBe('fetch');
    expect(calls).toContain('build');
  });

  it('stops with one message saying why when the runtime cannot be had, before building anything', async () => {
    const { deps, calls, failures } = scenario(null);
    expect(await dist(deps, options)).toBe(EXIT_NO_RUNTIME);
    expect(calls).toEqual(['fetch']);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/Electron runtime is not installed and could not be downloaded \(github\.com cannot be reached\)/);
    expect(failures[0]).toMatch(/docs\/packaging\.md/);
  });

  it('reports a failed bundle build and does not run electron-builder', async () => {
    const { deps, calls, failures } = scenario('/e/dist/electron', undefined, {
      build: async () => {
        throw new Error('renderer/dist/index.html is missing\n  at stack');
      },
    });
    expect(await dist(deps, options)).toBe(EXIT_BUILD_FAILED);
    expect(calls.some((c) => c.startsWith('builder'))).toBe(false);
    expect(failures).toEqual(['npm run dist: the desktop app could not be built: renderer/dist/index.html is missing']);
  });

  it('passes electron-builder the exit status through', async () => {
    const { deps } = scenario('/e/dist/electron', undefined, { runBuilder: async () => 7 });
    expect(await dist(deps, options)).toBe(7);
  });
});

describe('electron-builder arguments', () => {
  it('uses the local runtime only when every requested platform is this one', () => {
    expect(builderArgs({ ...options, userArgs: ['--linux', 'deb'] })).toEqual(['--config', 'build/electron-builder.yml', '-c.electronDist=/e/dist', '--linux', 'deb']);
    expect(builderArgs({ ...options, userArgs: ['--win'] })).toEqual(['--config', 'build/electron-builder.yml', '--win']);
    expect(builderArgs({ ...options, userArgs: ['--linux', '--mac'] })).not.toContain('-c.electronDist=/e/dist');
  });
});

describe('npm run dist on this machine', () => {
  it('exits with the no-runtime status and a one-message explanation when no download is allowed', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      let stderr = '';
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'dist.ts')], {
        cwd: root,
        env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(EXIT_NO_RUNTIME);
    expect(result.stderr).toMatch(/^npm run dist cannot package the console: .*ELECTRON_SKIP_BINARY_DOWNLOAD is set/);
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
  });
});
