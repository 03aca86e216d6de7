/**
 * Eclipse hawkBit through its DDI API (docs/hawkbit.md): the console polls
 * as a target (or as the gateway for terminals without network), fetches
 * artifacts into the package cache, installs them and reports through the
 * durable outbox.
 */
export { DdiClient, DDI_IDLE_TIMEOUT_MS, IDEMPOTENCY_HEADER, type DdiServer, type FeedbackOutcome } from './ddi-client';
export type { DdiAuth } from './ddi-http';
export { pollingSleepMs, feedbackCode, ddiTime, type DdiFeedback, type DeploymentBase, type DdiArtifact, type DdiChunk } from './ddi-schemas';
export { fetchArtifact, type DownloadedArtifact } from './artifact-fetch';
export { HAWKBIT_FEEDBACK, hawkbitFeedbackSender, feedbackMarker, ACTION_HISTORY_LOOKBACK } from './feedback-sender';
export { hawkbitFeedbackRouter } from './feedback-router';
export { HawkbitPoller, type HawkbitPollerOptions, type InstallArtifacts, type InstallRequest, type InstallOutcome, type PollResult, type PollOutcome } from './hawkbit-poller';
export { HawkbitGateway, type HawkbitGatewayOptions, type GatewayTerminal } from './hawkbit-gateway';
export { flashInstaller } from './flash-install';
