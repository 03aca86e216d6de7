import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { trustDirWith } from '../../engine/image/package-test-kit';
import { startReportTestServer } from '../../engine/report/report-test-server';
import { startEngine, tempDir } from '../../engine/test-kit';
import type { UpdateReport } from '../../engine/update';
import { fleetLibrary, publisher, startFleet } from '../../engine/update/update-test-kit';
import { zuc } from './cli-test-kit';

describe('zuc update', () => {
  it('updates every terminal, prints one JSON report each with package, delta and bytesSaved, and exits 0', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(3, ['B02', 'B01']);
    const trust = await trustDirWith(publisher);
    const run = await zuc(['update', '--library', library.dir, '--trust', trust, '--concurrency', '2', '--json', ...fleet.map((m) => m.terminal.address)], { dataDir: await tempDir() });
    expect(run.status, run.stderr).toBe(0);
    const reports = JSON.parse(run.stdout) as UpdateReport[];
    expect(reports.map((r) => ({ address: r.address, result: r.result, code: r.code, toVersion: r.toVersion, package: r.package, delta: r.delta }))).toEqual(
      fleet.map((m, i) => ({ address: m.terminal.address, result: 'success', code: E.SUCCESS.code, toVersion: 'B03', package: i === 1 ? library.fullId(m.model.model) : library.deltaId(m.model.model), delta: i !== 1 })),
    );
    expect(reports[0]!.bytesSaved).toBeGreaterThan(0);
    expect(reports[1]!.bytesSaved).toBe(0);
    expect(reports[0]!.stages.map((s) => s.name)).toEqual(['detect', 'download', 'verify', 'install', 'report']);
  });

  it('exits 1 when one terminal is rolled back, still reporting the others as updated', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(2, ['B01'], [0]);
    const run = await zuc(['update', '--library', library.dir, '--trust', await trustDirWith(publisher), '--json', ...fleet.map((m) => m.terminal.address)], { dataDir: await tempDir() });
    expect(run.status).toBe(1);
    const reports = JSON.parse(run.stdout) as UpdateReport[];
    expect(reports.map((r) => [r.result, r.code])).toEqual([
      ['rolled-back', E.BOOT_FAILED_ROLLED_BACK.code],
      ['success', E.SUCCESS.code],
    ]);
  });

  it('refuses a package signed by a key the console does not trust: exit 1, nothing written, the package code', async () => {
    const library = await fleetLibrary();
    const [member] = await startFleet(1, ['B01']);
    const run = await zuc(['update', '--library', library.dir, '--trust', await tempDir('zuc-empty-trust-'), member!.terminal.address], { dataDir: await tempDir() });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`code ${E.PACKAGE_UNTRUSTED_KEY.code}`);
    expect(member!.terminal.inspect().payloadBytesReceived).toBe(0);
  });

  it('takes the sources, trusted keys and concurrency from the settings when none are given', async () => {
    const library = await fleetLibrary();
    const [member] = await startFleet(1, ['B01']);
    const dataDir = await tempDir();
    const setup = await startEngine({ dataDir });
    await setup.updateSettings({ sources: [{ kind: 'library', folder: library.dir }], trustedKeysFolder: await trustDirWith(publisher), concurrency: 1 });
    await setup.close();
    const run = await zuc(['update', '--json', member!.terminal.address], { dataDir });
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as UpdateReport[])[0]).toMatchObject({ result: 'success', package: library.fullId('MF286D'), source: `library:${library.dir}` });
  });

  it('sends each terminal\'s report to the settings\' reportUrl before it exits, once per job', async () => {
    const library = await fleetLibrary();
    const [member] = await startFleet(1, ['B01']);
    const backend = await startReportTestServer();
    try {
      const dataDir = await tempDir();
      const setup = await startEngine({ dataDir });
      await setup.updateSettings({ reportUrl: backend.url });
      await setup.close();
      const run = await zuc(['update', '--library', library.dir, '--trust', await trustDirWith(publisher), '--json', member!.terminal.address], { dataDir });
      expect(run.status, run.stderr).toBe(0);
      const [report] = JSON.parse(run.stdout) as UpdateReport[];
      expect(backend.reports.map((r) => r.key)).toEqual([`update:${report!.jobId}`]);
      expect(backend.reports[0]!.body).toMatchObject({ address: member!.terminal.address, result: 'success', toVersion: 'B03' });
    } finally {
      await backend.close();
    }
  });

  it('shows download progress on a terminal and a readable summary per terminal', async () => {
    const library = await fleetLibrary();
    const [member] = await startFleet(1, ['B01']);
    const run = await zuc(['update', '--library', library.dir, '--trust', await trustDirWith(publisher), member!.terminal.address], { dataDir: await tempDir(), tty: true });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`${member!.terminal.address}: downloading 100%`);
    expect(run.stdout).toContain(`success: ${member!.terminal.address} MF286D serial ${member!.terminal.serial}`);
    expect(run.stdout).toContain(`B01 -> B03 with ${library.fullId('MF286D')} (full)`);
  });

  it('exits 2 with a catalogued code for no source, a bad concurrency, a catalog that is not http or a hawkBit address or tenant that cannot be', async () => {
    const dataDir = await tempDir();
    const noSource = await zuc(['update', 'tcp://127.0.0.1:1'], { dataDir });
    expect(noSource.status).toBe(2);
    expect(noSource.stderr).toContain(E.BAD_ARGUMENTS.code);
    expect(noSource.stderr).toContain('--library DIR');
    expect((await zuc(['update', '--library', dataDir, '--concurrency', '0', 'tcp://127.0.0.1:1'], { dataDir })).stderr).toContain(E.BAD_ARGUMENTS.code);
    expect((await zuc(['update', '--catalog', 'file:///etc/passwd', 'tcp://127.0.0.1:1'], { dataDir })).status).toBe(2);
    for (const [url, tenant] of [['ftp://hawkbit.example.test', 'DEFAULT'], ['http://127.0.0.1:1', 'no/slash']]) {
      const bad = await zuc(['update', '--hawkbit', url!, '--tenant', tenant!, '--token', 'gw-token', 'tcp://127.0.0.1:1'], { dataDir });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain(E.BAD_ARGUMENTS.code);
      expect(bad.stderr).not.toContain('gw-token');
    }
  });
});
