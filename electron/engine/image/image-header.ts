import { verifyFirmwareImage } from '../../../native/firmware';
import { ZucError } from '../../shared/errors';

/** What the pipeline needs from a firmware image's header. */
export interface ImageHeader {
  model: string;
  hwRevision: string;
  version: string;
}

/**
 * The header of `bytes`, checked against the payload it describes (length
 * and SHA-256), as the terminal's bootloader will; throws IMAGE_NO_HEADER.
 */
export function parseImageHeader(bytes: Uint8Array): ImageHeader {
  const { model, hwRevision, version } = verifyFirmwareImage(bytes);
  return { model, hwRevision, version };
}

/** The header of `bytes`, or null when the file has none (for showing an image before a job). */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  try {
    return parseImageHeader(bytes);
  } catch (err) {
    if (err instanceof ZucError) return null;
    throw err;
  }
}
