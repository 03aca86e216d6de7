import type { JobReport } from '../../shared/contract';

/**
 * What one terminal's update ended with: the flash job's report (as
 * `zuc flash --json` prints it) plus which package the job installed and
 * what a delta saved. The download stage in `stages` is this job's own.
 */
export interface UpdateReport extends JobReport {
  /** The package id installed (or tried); null when no package was chosen. */
  package: string | null;
  /** Where the package came from (`library:DIR`, `catalog:URL`, `hawkbit:…`); null without one. */
  source: string | null;
  /** The route was a delta (applied by the console to the terminal's current image). */
  delta: boolean;
  /** Bytes of download the delta spared over the full package; 0 for a full route. */
  bytesSaved: number;
}

/** Outbox kind of update reports: delivered by whichever backend sender the console registers for it. */
export const UPDATE_REPORT_KIND = 'update-report';
