import { E, lookupError, ZucError } from '../../../shared/errors';
import { hawkbitNoteDetail, logError, logText, type HawkbitNote, type LogEntry } from '../../../shared/job-log';
import { systemClock, type Clock } from '../../clock';
import type { Outbox } from '../../report';
import type { PackageCache } from '../../download';
import { fetchArtifact, type DownloadedArtifact } from './artifact-fetch';
import type { DdiClient } from './ddi-client';
import { ddiTime, feedbackCode, pollingSleepMs, type DdiChunk, type DdiFeedback, type DeploymentBase, type Execution, type Finished } from './ddi-schemas';
import { feedbackMarker, HAWKBIT_FEEDBACK } from './feedback-sender';

/** What the install step gets: the verified artifacts of one hawkBit action. */
export interface InstallRequest {
  controllerId: string;
  actionId: string;
  chunks: DdiChunk[];
  artifacts: DownloadedArtifact[];
  /** Notes logged here go to the server in the closing feedback's details (their English), and to the log with the action named. */
  log(note: HawkbitNote | string): void;
  signal: AbortSignal;
}

/** How an install ended: `code` is a catalog code, ZUC-0000 for success; `details` are log lines for the server. */
export interface InstallOutcome {
  code: string;
  details: string[];
}

/**
 * Installs an action's artifacts on the terminal. Once it touched the
 * terminal it returns an outcome. A retryable ZucError thrown means it could
 * not start (terminal busy or away): the action stays open and runs again at
 * the next poll. Any other throw is a failed install with the error's code.
 */
export type InstallArtifacts = (request: InstallRequest) => Promise<InstallOutcome>;

export interface HawkbitPollerOptions {
  client: DdiClient;
  /** Feedback goes through it; register `hawkbitFeedbackSender(client)` on it for delivery. */
  outbox: Outbox;
  /** The target's id on the server; in gateway mode the terminal's serial number. */
  controllerId: string;
  install: InstallArtifacts;
  /** The package cache shared with the other sources: artifacts land there under their SHA-256. */
  cache: PackageCache;
  clock?: Clock;
  /** The terminal's attributes, sent when the server asks for them (its `configData` link). */
  attributes?: () => Record<string, string> | Promise<Record<string, string>>;
  /** The log of whoever polls: a job's (lines of an update job) or the engine's; never receives a token. */
  log?: (entry: LogEntry) => void;
  /** Pause after a failed poll before the next, when the server gave no interval yet. */
  retryAfterErrorMs?: number;
}

/** What one poll did. */
export interface PollResult {
  /** How long the server asked to wait before the next poll. */
  sleepMs: number;
  outcome: PollOutcome;
}

export type PollOutcome =
  | { kind: 'idle' }
  | { kind: 'installed'; actionId: string; code: string }
  | { kind: 'failed'; actionId: string; code: string }
  | { kind: 'downloaded-only'; actionId: string }
  /** The server said download "skip": nothing is fetched until it changes its mind. */
  | { kind: 'deferred'; actionId: string }
  | { kind: 'already-closed'; actionId: string }
  | { kind: 'cancel-accepted'; actionId: string; stopId: string };

export const POLL_RETRY_AFTER_ERROR_MS = 60_000;
/** The shortest pause between polls, whatever the server asks: `00:00:00` must not turn the console into a busy loop against it. */
export const POLL_MIN_INTERVAL_MS = 1_000;
/** hawkBit keeps a bounded number of status messages per action; the last lines matter most. */
export const FEEDBACK_MAX_DETAILS = 100;
export const FEEDBACK_MAX_LINE_CHARS = 500;

/**
 * One hawkBit target: polls the controller base at the interval the server
 * sets, runs the deployment it offers (download and verify every artifact,
 * install, close the action with our code and the log) and accepts
 * cancellations. Every feedback goes into the durable outbox first.
 */
export class HawkbitPoller {
  private readonly clock: Clock;
  private readonly log: (entry: LogEntry) => void;

  constructor(private readonly options: HawkbitPollerOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? (() => undefined);
  }

  /** Polls until `signal` aborts, waiting `config.polling.sleep` between polls (at least POLL_MIN_INTERVAL_MS), or a retry pause after an error. */
  async run(signal: AbortSignal): Promise<void> {
    let sleepMs = this.options.retryAfterErrorMs ?? POLL_RETRY_AFTER_ERROR_MS;
    while (!signal.aborted) {
      try {
        sleepMs = (await this.pollOnce(signal)).sleepMs;
      } catch (err) {
        if (signal.aborted) return;
        const error = ZucError.from(err);
        this.log(`hawkbit ${this.options.controllerId}: ${error.code} ${error.message}`);
      }
      await this.clock.sleep(Math.max(sleepMs, POLL_MIN_INTERVAL_MS), signal);
    }
  }

  /** One poll and whatever it asks for. Throws a ZucError when the server cannot be asked or answers nonsense. */
  async pollOnce(signal: AbortSignal = new AbortController().signal): Promise<PollResult> {
    const { client, controllerId } = this.options;
    const base = await client.poll(controllerId, signal);
    const sleepMs = pollingSleepMs(base.config.polling.sleep);
    const links = base._links ?? {};
    if (links.configData && this.options.attributes) await this.sendAttributes(links.configData.href, signal);
    if (links.cancelAction) {
      const cancel = await client.cancelAction(links.cancelAction.href, signal);
      const url = feedbackUrl(client.link(links.cancelAction.href));
      // Nothing of the action runs between polls here, so accepting is always possible.
      this.queue(url, cancel.id, 'closed', 'success', undefined, E.ACTION_CANCELLED.code, [`cancellation of action ${cancel.cancelAction.stopId} accepted`], true);
      this.log(logText('hawkbit-cancelled', { controllerId, stopId: cancel.cancelAction.stopId }));
      return { sleepMs, outcome: { kind: 'cancel-accepted', actionId: cancel.id, stopId: cancel.cancelAction.stopId } };
    }
    if (!links.deploymentBase) return { sleepMs, outcome: { kind: 'idle' } };
    const deployment = await client.deployment(links.deploymentBase.href, signal);
    return { sleepMs, outcome: await this.runDeployment(deployment, signal) };
  }

  private async sendAttributes(href: string, signal: AbortSignal): Promise<void> {
    try {
      await this.options.client.putConfigData(href, await this.options.attributes!(), signal);
    } catch (err) {
      // The server keeps asking until it has them; a deployment waiting behind this poll need not.
      const error = ZucError.from(err);
      this.log(`hawkbit ${this.options.controllerId}: attributes not sent: ${error.code} ${error.message}`);
    }
  }

  private async runDeployment(deployment: DeploymentBase, signal: AbortSignal): Promise<PollOutcome> {
    const { client, controllerId } = this.options;
    const actionId = deployment.id;
    const url = new URL(`${this.options.client.controllerUrl(controllerId).pathname}/deploymentBase/${actionId}/feedback`, client.base.origin);
    // A closing feedback already queued (maybe by a console that crashed before delivering it): never install twice.
    if (this.options.outbox.store.streamClosed(url.href)) return { kind: 'already-closed', actionId };

    const details: string[] = [];
    const note = (entry: HawkbitNote | string): void => {
      const detail = typeof entry === 'string' ? entry : hawkbitNoteDetail(entry);
      details.push(detail.slice(0, FEEDBACK_MAX_LINE_CHARS));
      this.log(typeof entry === 'string' ? `hawkbit ${controllerId} action ${actionId}: ${entry}` : entry);
    };
    const named = { controllerId, actionId };
    const close = (reported: string): void => {
      // An install step answering with a code outside the catalog still closes the action.
      const code = lookupError(reported)?.code ?? E.INTERNAL.code;
      const finished: Finished = code === E.SUCCESS.code ? 'success' : 'failure';
      this.queue(url, actionId, 'closed', finished, { cnt: steps, of: steps }, code, details.slice(-FEEDBACK_MAX_DETAILS), true);
    };

    if (deployment.deployment.download === 'skip') {
      this.log(logText('hawkbit-download-deferred', named));
      return { kind: 'deferred', actionId };
    }
    const artifacts = deployment.deployment.chunks.flatMap((chunk) => chunk.artifacts);
    const steps = artifacts.length + 1;
    if (artifacts.length === 0) {
      note(logText('hawkbit-no-artifact', { ...named, code: E.DEPLOYMENT_UNUSABLE.code }));
      close(E.DEPLOYMENT_UNUSABLE.code);
      return { kind: 'failed', actionId, code: E.DEPLOYMENT_UNUSABLE.code };
    }

    this.queue(url, actionId, 'download', 'none', { cnt: 0, of: steps }, undefined, [`downloading ${artifacts.length} artifact(s)`]);
    const downloaded: DownloadedArtifact[] = [];
    for (const artifact of artifacts) {
      try {
        downloaded.push(await fetchArtifact(client, this.options.cache, artifact, { signal }));
        note(logText('hawkbit-artifact-downloaded', { ...named, filename: artifact.filename, bytes: artifact.size }));
      } catch (err) {
        const error = ZucError.from(err);
        // A cut network or a busy server is tried again at the next poll (resuming what arrived);
        // wrong bytes, a missing file or a redirect loop will not get better and close the action.
        if (error.entry.retryable) throw error;
        note(logText('hawkbit-action-failed', { ...named, error: logError(error) }));
        close(error.code);
        return { kind: 'failed', actionId, code: error.code };
      }
    }
    this.queue(url, actionId, 'downloaded', 'none', { cnt: artifacts.length, of: steps }, undefined, [`${artifacts.length} artifact(s) downloaded and verified`]);

    const { update, maintenanceWindow } = deployment.deployment;
    if (update === 'skip' || maintenanceWindow === 'unavailable') {
      this.log(logText('hawkbit-install-waits', { ...named, update, maintenanceWindow: maintenanceWindow ?? null }));
      return { kind: 'downloaded-only', actionId };
    }

    this.queue(url, actionId, 'proceeding', 'none', { cnt: artifacts.length, of: steps }, undefined, ['installing']);
    let outcome: InstallOutcome;
    try {
      outcome = await this.options.install({ controllerId, actionId, chunks: deployment.deployment.chunks, artifacts: downloaded, log: note, signal });
      for (const line of outcome.details) details.push(line.slice(0, FEEDBACK_MAX_LINE_CHARS));
    } catch (err) {
      const error = ZucError.from(err);
      if (error.entry.retryable) {
        this.log(logText('hawkbit-install-not-started', { ...named, error: logError(error) }));
        throw error;
      }
      note(logText('hawkbit-action-failed', { ...named, error: logError(error) }));
      outcome = { code: error.code, details: [] };
    }
    close(outcome.code);
    return outcome.code === E.SUCCESS.code ? { kind: 'installed', actionId, code: outcome.code } : { kind: 'failed', actionId, code: outcome.code };
  }

  private queue(url: URL, actionId: string, execution: Execution, finished: Finished, progress: { cnt: number; of: number } | undefined, code: string | undefined, details: string[], closes = false): void {
    // Same action and state, same key: a run repeated after a restart queues nothing new.
    const step = progress ? `${progress.cnt}-${progress.of}` : '';
    const key = `${url.href}#${execution}${step && `-${step}`}`;
    const feedback: DdiFeedback = {
      id: actionId,
      time: ddiTime(this.clock.now()),
      status: {
        execution,
        result: { finished, ...(progress ? { progress } : {}) },
        ...(code ? { code: feedbackCode(code) } : {}),
        // A closing feedback needs no marker: once it arrived, a repeat is answered 410.
        details: closes ? details : [...details, feedbackMarker(key)],
      },
    };
    this.options.outbox.enqueue({ key, kind: HAWKBIT_FEEDBACK, stream: url.href, target: url.href, payload: feedback, closesStream: closes });
  }
}

/** `…/cancelAction/{id}` → `…/cancelAction/{id}/feedback`, without the query the server may add. */
function feedbackUrl(link: URL): URL {
  return new URL(`${link.pathname.replace(/\/+$/, '')}/feedback`, link.origin);
}
