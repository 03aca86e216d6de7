import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ImageRef, StagedImage } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { readImageHeader } from './image-header';
import { describePackage, looksLikePackage } from './package-image';
import { loadImageFile, sha256Hex, type LoadedImage } from './load-image';

const STAGING_FOLDER = 'staging';
/** Staged images not used for this long are removed at start; a UI stages again what it needs. */
export const STAGED_IMAGE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const StagedMetaSchema = z.object({ name: z.string(), sha256: z.string() });

/**
 * Images handed to the engine as bytes (from a UI that cannot share a file
 * path) are kept under the data folder, named by content hash, so a job can
 * read them like any file and staging the same image twice costs nothing.
 */
export class ImageStaging {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, STAGING_FOLDER);
  }

  async stage(name: string, data: Uint8Array): Promise<StagedImage> {
    if (data.byteLength === 0) throw new ZucError(E.IMAGE_EMPTY, name);
    const sha256 = sha256Hex(data);
    const id = sha256.slice(0, 32);
    try {
      await fs.mkdir(this.dir, { recursive: true });
      await fs.writeFile(this.imagePath(id), data);
      await fs.writeFile(this.metaPath(id), JSON.stringify({ name, sha256 }));
    } catch (err) {
      throw new ZucError(E.STAGING_FAILED, `${name} in ${this.dir}: ${(err as Error).message}`, { cause: err });
    }
    // A package shows what its signed manifest says; it is verified against the terminal when flashed.
    const header = looksLikePackage(data) ? await describePackage(data) : readImageHeader(data);
    return {
      id,
      name,
      size: data.byteLength,
      sha256,
      model: header?.model ?? null,
      hwRevision: header?.hwRevision ?? null,
      version: header?.version ?? null,
    };
  }

  /** Removes staged images last written or read more than STAGED_IMAGE_MAX_AGE_MS before `now`. Best effort. */
  async prune(now: number): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const stat = await fs.stat(file);
        if (now - Math.max(stat.mtimeMs, stat.atimeMs) > STAGED_IMAGE_MAX_AGE_MS) await fs.rm(file, { force: true });
      } catch {
        // Another console may be pruning the same folder.
      }
    }
  }

  /** The file an image reference names (relative paths against `cwd`), for a reader that streams it. */
  fileOf(ref: ImageRef, cwd = process.cwd()): string {
    if (ref.kind === 'path') return path.resolve(cwd, ref.path);
    if (!/^[0-9a-f]{32}$/.test(ref.id)) throw new ZucError(E.IMAGE_NOT_FOUND, `no staged image '${ref.id}'`);
    return this.imagePath(ref.id);
  }

  /** Reads the image a job names, staged or by path (relative paths against `cwd`). */
  async load(ref: ImageRef, cwd = process.cwd()): Promise<LoadedImage> {
    const file = this.fileOf(ref, cwd);
    if (ref.kind === 'path') return loadImageFile(file);
    let meta;
    try {
      meta = StagedMetaSchema.parse(JSON.parse(await fs.readFile(this.metaPath(ref.id), 'utf8')));
    } catch (err) {
      throw new ZucError(E.IMAGE_NOT_FOUND, `no staged image '${ref.id}'`, { cause: err });
    }
    const image = await loadImageFile(file, meta.name);
    if (image.sha256 !== meta.sha256) throw new ZucError(E.IMAGE_UNREADABLE, `staged image ${meta.name} changed on disk`);
    return image;
  }

  /** A short name for an image reference before it is read. */
  async nameOf(ref: ImageRef): Promise<string> {
    if (ref.kind === 'path') return path.basename(ref.path);
    try {
      return StagedMetaSchema.parse(JSON.parse(await fs.readFile(this.metaPath(ref.id), 'utf8'))).name;
    } catch {
      return ref.id;
    }
  }

  private imagePath(id: string): string {
    return path.join(this.dir, `${id}.img`);
  }

  private metaPath(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }
}
