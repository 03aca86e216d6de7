import type { JobReport, UpdateOfferView } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { logText, type LogEntry } from '../../shared/job-log';
import type { PackageCache } from '../download';
import type { Outbox } from '../report';
import type { Engine } from '../service/engine';
import { flashAndWait } from './flash-and-wait';
import { DdiClient, HawkbitPoller, type DdiServer, type InstallArtifacts, type PollOutcome } from '../sources/hawkbit';

/** What one hawkBit poll did for one terminal. */
export type HawkbitInstall =
  /** The server has nothing to install now (no deployment, deferred, waiting for a maintenance window): `actionId` is null when it has no deployment. */
  | { kind: 'none'; actionId: string | null; outcome: Exclude<PollOutcome['kind'], 'installed' | 'failed'> }
  /**
   * The deployment ran: `report` is the flash job's (null when it ended before
   * flashing, e.g. a wrong artifact hash), `code` the code the action was closed with.
   */
  | { kind: 'done'; actionId: string; artifact: string | null; version: string | null; report: JobReport | null; code: string };

export interface HawkbitInstallRequest {
  engine: Engine;
  outbox: Outbox;
  address: string;
  /** The controller id: in gateway mode the terminal's serial number. */
  serial: string;
  /** The update job's own log lines (the flash job's log starts with them). */
  log(entry: LogEntry): void;
  /** The flash job's id, before its first transition. */
  started?(jobId: string): void;
}

/**
 * Eclipse hawkBit as one of the update sources, in its place in the
 * priority order: polled once per terminal (the console acting as gateway
 * or with a target token), its deployment downloaded into the shared cache,
 * installed by the engine's flash pipeline (which verifies the package
 * against the terminal) and closed with our code through the outbox.
 */
export class HawkbitDeployments {
  readonly name: string;
  readonly client: DdiClient;

  constructor(
    readonly server: DdiServer,
    private readonly cache: PackageCache,
  ) {
    this.client = new DdiClient(server);
    this.name = `hawkbit:${this.client.base.origin}${this.client.base.pathname.replace(/\/+$/, '')}/${server.tenant}`;
  }

  /**
   * Looks without acting: the deployment's artifacts as offers, none when the
   * server has nothing for the terminal. Throws a ZucError when it cannot be asked.
   */
  async peek(serial: string, signal?: AbortSignal): Promise<UpdateOfferView[]> {
    const base = await this.client.poll(serial, signal);
    const href = base._links?.deploymentBase?.href;
    if (!href) return [];
    const deployment = await this.client.deployment(href, signal);
    return deployment.deployment.chunks.flatMap((chunk) =>
      chunk.artifacts.map((a) => ({ packageId: a.filename, version: chunk.version, type: 'full' as const, size: a.size, source: this.name })),
    );
  }

  /**
   * Polls once and runs what the server deployed. Throws a ZucError when the
   * server cannot be asked (down, refused credentials, nonsense answers) or a
   * retryable failure leaves the action open for the next try.
   */
  async install(request: HawkbitInstallRequest): Promise<HawkbitInstall> {
    const { engine, outbox, address, serial } = request;
    let report: JobReport | null = null;
    let artifact: string | null = null;
    let version: string | null = null;
    const polled = Date.now();
    const install: InstallArtifacts = async ({ controllerId, actionId, artifacts, chunks, log }) => {
      if (artifacts.length !== 1) throw new ZucError(E.DEPLOYMENT_UNUSABLE, `expected one package, the deployment has ${artifacts.length} artifacts`);
      const file = artifacts[0]!;
      artifact = file.filename;
      version = chunks[0]?.version ?? null;
      request.log(logText('hawkbit-deployed', { filename: file.filename, bytes: file.size }));
      report = await flashAndWait(engine, {
        address,
        path: file.path,
        imageName: file.filename,
        // Poll, deployment and artifact download: this job's download stage.
        download: { status: 'done', ms: Date.now() - polled },
        ...(request.started ? { started: request.started } : {}),
      });
      log(logText('hawkbit-job-ended', { controllerId, actionId, jobId: report.jobId, address, result: report.result, code: report.code }));
      const lines = await engine.getJobLog({ jobId: report.jobId }).catch(() => []);
      return { code: report.code, details: lines.map((line) => `${line.level} ${line.message}`) };
    };
    const poller = new HawkbitPoller({ client: this.client, outbox, controllerId: serial, install, cache: this.cache, log: request.log });
    const { outcome } = await poller.pollOnce();
    if (outcome.kind === 'installed' || outcome.kind === 'failed') return { kind: 'done', actionId: outcome.actionId, artifact, version, report, code: outcome.code };
    return { kind: 'none', actionId: outcome.kind === 'idle' ? null : outcome.actionId, outcome: outcome.kind };
  }
}
