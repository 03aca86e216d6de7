import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { flash, imageFile, startEngine, startTerminal, tempDir } from '../test-kit';

const TOKEN = 'hb-gw-token-7f3a9c2e51d04b8aa6e0';

/** Opens the archive with the system's GNU tar, the way a support engineer would. */
async function extract(data: Uint8Array): Promise<{ dir: string; files: string[]; read: (name: string) => string }> {
  const dir = await tempDir('zuc-bundle-');
  execFileSync('tar', ['-xzf', '-', '-C', dir], { input: data });
  return { dir, files: readdirSync(dir).sort(), read: (name) => readFileSync(path.join(dir, name), 'utf8') };
}

describe('support bundle', () => {
  it('holds the job, its logs, the terminal identity, the console version and the settings, with the hawkBit token nowhere', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine({ allowUnsignedPackages: true });
    await engine.updateSettings({ sources: [{ kind: 'hawkbit', url: 'http://hb.lan:8080', tenant: 'DEFAULT', token: TOKEN }] });
    await engine.addDevice({ address: terminal.address });
    const image = await imageFile({ version: 'B02' });
    const { report } = await flash(engine, terminal.address, image.path);
    expect(report.result).toBe('success');
    // A token that slipped into a log line (a pasted URL) must not leave with the bundle either.
    engine.appendJobLog({ jobId: report.jobId, at: new Date().toISOString(), level: 'info', message: `poll http://hb.lan:8080/DEFAULT?token=${TOKEN}` });

    const bundle = await engine.exportSupportBundle({ jobId: report.jobId });
    expect(bundle.fileName).toMatch(/^zuc-support-[A-Za-z0-9._-]+-[0-9a-f]{8}-\d{8}T\d{6}Z\.tar\.gz$/);
    expect(Buffer.from(bundle.data).includes(TOKEN)).toBe(false);
    const tarBytes = gunzipSync(bundle.data);
    expect(tarBytes.includes(TOKEN)).toBe(false);

    const archive = await extract(bundle.data);
    expect(archive.files).toEqual(['console.json', 'device-log.txt', 'job-log.txt', 'job.json', 'settings.json', 'terminal.json']);
    expect(JSON.parse(archive.read('job.json'))).toEqual(report);
    const jobLog = await engine.getJobLog({ jobId: report.jobId });
    expect(archive.read('job-log.txt').trimEnd().split('\n')).toHaveLength(jobLog.length);
    expect(archive.read('job-log.txt')).toContain('[redacted]');
    // The terminal's own lines as the job stored them, without the console's prefix.
    const deviceLines = jobLog.filter((l) => l.message.startsWith('device: ')).map((l) => l.message.slice('device: '.length));
    expect(deviceLines.length).toBeGreaterThan(0);
    expect(archive.read('device-log.txt').trimEnd().split('\n')).toEqual(deviceLines);
    expect(JSON.parse(archive.read('terminal.json'))).toMatchObject({ address: terminal.address, serial: report.serial, model: 'MF286D', activeSlot: 'b' });
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../../package.json'), 'utf8')) as { version: string };
    expect(JSON.parse(archive.read('console.json'))).toMatchObject({ version: pkg.version, platform: process.platform, node: process.version });
    const settings = JSON.parse(archive.read('settings.json')) as { sources: Record<string, unknown>[] };
    expect(settings.sources[0]).toMatchObject({ kind: 'hawkbit', url: 'http://hb.lan:8080', tenant: 'DEFAULT', hasToken: true });
    expect(settings.sources[0]).not.toHaveProperty('token');
  });

  it('refuses a job id the history does not hold', async () => {
    const engine = await startEngine();
    await expect(engine.exportSupportBundle({ jobId: 'no-such-job' })).rejects.toMatchObject({ code: E.JOB_NOT_FOUND.code });
  });
});
