import { E, ZucError } from '../../shared/errors';
import { BSDIFF40_MAGIC, decodeBsdiff40Header } from './bsdiff40';
import { decodeZdeltaHeader, startsWith, ZDELTA_MAGIC } from './zdelta-header';

export interface DeltaHeader {
  /** Size of the image the patch applies to; -1 for BSDIFF40, which does not record it. */
  oldSize: number;
  /** Lower-case hex SHA-256 of that image; '' for BSDIFF40. */
  oldSha256: string;
  newSize: number;
  /** Lower-case hex SHA-256 of the result; '' for BSDIFF40. */
  newSha256: string;
  format: 'zdelta' | 'bsdiff40';
}

/** What a patch says about its source and target, checked but without decoding its streams. */
export function readDeltaHeader(patch: Uint8Array): DeltaHeader {
  if (startsWith(patch, ZDELTA_MAGIC)) {
    const { oldSize, oldSha256, newSize, newSha256 } = decodeZdeltaHeader(patch);
    return { oldSize, oldSha256, newSize, newSha256, format: 'zdelta' };
  }
  if (startsWith(patch, BSDIFF40_MAGIC)) {
    return { oldSize: -1, oldSha256: '', newSize: decodeBsdiff40Header(patch).newSize, newSha256: '', format: 'bsdiff40' };
  }
  throw new ZucError(E.DELTA_BAD_MAGIC, 'neither zdelta nor BSDIFF40');
}
