import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { imageFile, startTerminal, tempDir } from '../../engine/test-kit';
import { zuc } from './cli-test-kit';

describe('zuc history', () => {
  it('lists past jobs newest first, as a table or as JSON, limited on request', async () => {
    const dataDir = await tempDir();
    expect((await zuc(['history'], { dataDir })).stdout).toBe('No jobs yet.\n');
    const terminal = await startTerminal();
    expect((await zuc(['flash', terminal.address, (await imageFile({ version: 'B02' })).path], { dataDir })).status).toBe(0);
    expect((await zuc(['flash', terminal.address, (await imageFile({ version: 'B03', model: 'MC801A' })).path], { dataDir })).status).toBe(2);

    const json = await zuc(['history', '--json'], { dataDir });
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject([
      { result: 'failed', code: E.IMAGE_WRONG_MODEL.code, fromVersion: 'B02' },
      { result: 'success', code: E.SUCCESS.code, fromVersion: 'B01', toVersion: 'B02', activeSlot: 'b' },
    ]);
    expect(JSON.parse((await zuc(['history', '--json', '--limit', '1'], { dataDir })).stdout)).toHaveLength(1);

    const table = (await zuc(['history'], { dataDir })).stdout.trim().split('\n');
    expect(table).toHaveLength(2);
    expect(table[0]).toMatch(new RegExp(`failed +${E.IMAGE_WRONG_MODEL.code}  ${terminal.address.replace(/[.]/g, '\\.')}`));
    expect(table[1]).toMatch(/success +ZUC-0000 .* B01 -> B02 /);
  });

  it('refuses a limit that is not a positive whole number', async () => {
    const run = await zuc(['history', '--limit', 'ten'], { dataDir: await tempDir() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(E.BAD_ARGUMENTS.code);
  });
});
