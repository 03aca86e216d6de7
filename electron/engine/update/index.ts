/**
 * The update pipeline for any number of terminals: detect → poll the
 * sources → choose the route → download into the cache → verify and
 * install through the flash pipeline → report (history and outbox).
 * See docs/update-pipeline.md.
 *
 *   const service = new UpdateService({ engine, dataDir, sources, cache, concurrency: 4 });
 *   const reports = await service.updateAll(addresses);
 */
export { UpdateService, type UpdateServiceOptions } from './update-service';
export { UpdateJob, type UpdateJobDeps } from './update-job';
export { UPDATE_REPORT_KIND, type UpdateReport } from './update-report';
export { findBaseOffer, extractBaseImage, type BaseOffer } from './delta-base';
export { HawkbitDeployments, type HawkbitInstall, type HawkbitInstallRequest } from './hawkbit-update';
export { sourceSteps, offeringSources, type ConfiguredSource, type SourceStep } from './source-order';
export { flashAndWait, type PackageFlashRequest } from './flash-and-wait';
export { settingsSources, settingsUpdateSources, hawkbitServer, type HawkbitSetting } from './settings-sources';
export { checkForUpdates } from './check-for-updates';
