import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { t } from '../renderer/i18n/en';
import { librarySettings, startBench } from './bench';
import { useConsolePage } from './spec-harness';

const JOB_TIMEOUT_MS = 60_000;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let root = '';
/** A terminal the technician added by address but has not plugged in yet: nothing listens there. */
let address = '';

const spec = useConsolePage({
  failedShotPrefix: 'retry-reload',
  bench: async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'zuc-retry-reload-'));
    await mkdir(path.join(root, 'library'));
    address = `tcp://127.0.0.1:${await closedPort()}`;
    return startBench([], { prepareDataDir: librarySettings(path.join(root, 'library')) });
  },
  close: () => rm(root, { recursive: true, force: true }),
});

describe('Retry of an update that failed before flashing', () => {
  it('is still offered after a page reload, on the Updates screen and in the job view, and starts the update again', async () => {
    const { page } = spec;
    const updateRow = (jobId: string) => page.locator(`.update-row[data-job-id="${jobId}"]`);
    // Not plugged in: the update ends at detect with a retryable code, before any download or write.
    await page.getByLabel(t.terminals.addressLabel).fill(address);
    await page.getByRole('button', { name: t.terminals.add, exact: true }).click();
    await page.locator(`tr[data-address="${address}"] input[type="checkbox"]`).check();
    await page.getByRole('button', { name: t.updates.update, exact: true }).click();
    await page.locator('main[data-screen="updates"]').waitFor();
    const firstRow = page.locator(`.update-row[data-address="${address}"]`).filter({ has: page.getByTestId('retry') });
    await firstRow.waitFor({ timeout: JOB_TIMEOUT_MS });
    const jobId = (await firstRow.getAttribute('data-job-id'))!;
    expect(jobId).toBeTruthy();

    await page.reload();
    await page.locator('#nav-updates').click();
    await updateRow(jobId).getByTestId('retry').waitFor({ timeout: JOB_TIMEOUT_MS });
    expect(await updateRow(jobId).locator('.update-row-head .tag').textContent()).toBe(t.jobState.failed);

    await page.locator('#nav-terminals').click();
    const detail = page.locator(`.job-detail[data-job-id="${jobId}"]`);
    await detail.waitFor({ timeout: JOB_TIMEOUT_MS });
    await detail.getByTestId('retry').click();

    // The engine took it: a new try of the update appears (it fails the same way, the terminal is still unplugged).
    await page.locator('#nav-updates').click();
    const next = page.locator(`.update-row[data-address="${address}"]:not([data-job-id="${jobId}"])`);
    await next.getByTestId('retry').waitFor({ timeout: JOB_TIMEOUT_MS });
    expect(await updateRow(jobId).getByTestId('retry').count()).toBe(0);
    expect(spec.problems).toEqual([]);
  });
});
