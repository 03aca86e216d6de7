import type { JobReport, SkippedOffer } from '../../shared/contract';

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
  /** Newer packages the route left out because this console would refuse their signature; absent when none. */
  skipped?: SkippedOffer[];
}

/** Outbox kind of update reports: delivered by whichever backend sender the console registers for it. */
export const UPDATE_REPORT_KIND = 'update-report';

/**
 * Outbox kind of the note an update leaves when its flash job starts: no
 * sender takes it. If the console dies before the job ends, the next one
 * finds the note, the job marked interrupted in the history, and queues
 * that job's report, so the backend hears of it too.
 */
export const UPDATE_STARTED_KIND = 'update-started';

/** What the note keeps: the update facts the flash job's history row does not hold. */
export interface UpdateStartedNote {
  jobId: string;
  package: string | null;
  source: string | null;
  delta: boolean;
  bytesSaved: number;
}
