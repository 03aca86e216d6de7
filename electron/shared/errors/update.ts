import { defineErrors } from './error-entry';

/** Failures of the update job itself: finding a route for a terminal among its sources (see docs/update-pipeline.md). */
export const updateErrors = defineErrors({
  UPDATE_NOT_FOUND: {
    code: 'ZUC-6101',
    title: 'No update for this terminal',
    cause: 'None of the configured update sources offers a package newer than the version the terminal runs for its model and hardware revision (entries for other models are never offered).',
    remedy: 'Check that the library or catalog holds a package for this model and revision; the terminal may already run the newest version.',
    retryable: false,
    fumo: 409,
    tr069: 9016,
  },
  UPDATE_SOURCES_FAILED: {
    code: 'ZUC-6102',
    title: 'No update source could be read',
    cause: 'Every configured update source failed (a library folder missing, a catalog unreachable or malformed); the detail names each failure and its code.',
    remedy: 'Fix the source named in the detail (path, URL, network), then start the update again.',
    retryable: true,
    fumo: 503,
    tr069: 9015,
  },
  UPDATE_DELTA_BASE_UNAVAILABLE: {
    code: 'ZUC-6103',
    title: 'Only a delta is offered and its base image is not available',
    cause: 'The sources offer this version only as a delta. Applying it needs the image the terminal runs now, but no source has the full package of that version and the terminal cannot apply deltas itself.',
    remedy: 'Publish the full package of the target version (or of the version the terminal runs) in the library or catalog, then start the update again.',
    retryable: false,
    fumo: 405,
    tr069: 9010,
  },
  UPDATE_NO_SOURCES: {
    code: 'ZUC-6104',
    title: 'No update source is configured',
    cause: 'The update was started without a firmware library, an HTTP catalog or a hawkBit server to look for packages in.',
    remedy: 'Give at least one source: --library DIR, --catalog URL or --hawkbit URL (or configure one in the settings).',
    retryable: false,
    fumo: 400,
    tr069: 9003,
  },
});
