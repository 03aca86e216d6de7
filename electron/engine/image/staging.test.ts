import { readdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { imageFile, tempDir } from '../test-kit';
import { ImageStaging, STAGED_IMAGE_MAX_AGE_MS } from './staging';

describe('image staging', () => {
  it('keeps staged bytes by content and reads them back for a job', async () => {
    const staging = new ImageStaging(await tempDir());
    const image = await imageFile({ version: 'B02' });
    const first = await staging.stage('MF286D_B02.bin', image.bytes);
    const again = await staging.stage('copy.bin', image.bytes);
    expect(again.id).toBe(first.id);
    const loaded = await staging.load({ kind: 'staged', id: first.id });
    expect(loaded.bytes).toEqual(image.bytes);
    expect(loaded.sha256).toBe(first.sha256);
    await expect(staging.load({ kind: 'staged', id: '0'.repeat(32) })).rejects.toMatchObject({ code: E.IMAGE_NOT_FOUND.code });
    await expect(staging.load({ kind: 'staged', id: '../../etc/passwd' })).rejects.toMatchObject({ code: E.IMAGE_NOT_FOUND.code });
  });

  it('removes staged images unused for longer than the limit and keeps recent ones', async () => {
    const dataDir = await tempDir();
    const staging = new ImageStaging(dataDir);
    const old = await staging.stage('old.bin', (await imageFile({ version: 'B01' })).bytes);
    const recent = await staging.stage('recent.bin', (await imageFile({ version: 'B02' })).bytes);
    const longAgo = new Date(Date.now() - STAGED_IMAGE_MAX_AGE_MS - 60_000);
    for (const ext of ['img', 'json']) await utimes(path.join(dataDir, 'staging', `${old.id}.${ext}`), longAgo, longAgo);
    await staging.prune(Date.now());
    expect((await readdir(path.join(dataDir, 'staging'))).sort()).toEqual([`${recent.id}.img`, `${recent.id}.json`]);
  });
});
