import type { JobReport } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import type { PackageCache } from '../download';
import type { Outbox } from '../report';
import type { Engine } from '../service/engine';
import { flashAndWait } from './flash-and-wait';
import { DdiClient, HAWKBIT_FEEDBACK, hawkbitFeedbackSender, HawkbitPoller, type DdiServer, type InstallArtifacts } from '../sources/hawkbit';

/** One hawkBit poll per terminal, the console acting as gateway; the flash pipeline installs what the server deployed. */
export interface HawkbitUpdateOptions {
  engine: Engine;
  server: DdiServer;
  outbox: Outbox;
  cache: PackageCache;
}

export interface HawkbitUpdateResult {
  /** The flash job's report, or null when nothing was installed (no deployment, deferred, refused before flashing). */
  report: JobReport | null;
  /** The artifact installed, when there was one. */
  artifact: string | null;
  /** Catalogued code of the outcome; ZUC-0000 after a successful install. */
  code: string;
  error: ZucError | null;
}

/**
 * Polls hawkBit once for the terminal at `address` (its serial is the
 * controller id), installs a deployment through the engine's flash
 * pipeline (which verifies the package against the terminal) and queues
 * the closing feedback in the outbox.
 */
export async function updateViaHawkbit(address: string, options: HawkbitUpdateOptions): Promise<HawkbitUpdateResult> {
  const { engine, server, outbox, cache } = options;
  const view = await engine.addDevice({ address });
  if (!view.info) throw view.state.kind === 'offline' ? ZucError.fromJSON(view.state.error) : new ZucError(E.TERMINAL_UNREACHABLE, address);
  const client = new DdiClient(server);
  outbox.register(HAWKBIT_FEEDBACK, hawkbitFeedbackSender(client));
  let report: JobReport | null = null;
  let artifact: string | null = null;
  const install: InstallArtifacts = async ({ artifacts, log }) => {
    if (artifacts.length !== 1) throw new ZucError(E.DEPLOYMENT_UNUSABLE, `expected one package, the deployment has ${artifacts.length} artifacts`);
    const file = artifacts[0]!;
    artifact = file.filename;
    report = await flashAndWait(engine, { address, path: file.path, imageName: file.filename });
    log(`job ${report.jobId} on ${address}: ${report.result} ${report.code}`);
    const lines = await engine.getJobLog({ jobId: report.jobId }).catch(() => []);
    return { code: report.code, details: lines.map((line) => `${line.level} ${line.message}`) };
  };
  const poller = new HawkbitPoller({ client, outbox, controllerId: view.info.serial, install, cache });
  const { outcome } = await poller.pollOnce();
  if (outcome.kind === 'installed' || outcome.kind === 'failed') return { report, artifact, code: outcome.code, error: report ? null : ZucError.fromJSON({ code: outcome.code, detail: `hawkBit action ${outcome.actionId}` }) };
  const error = new ZucError(E.UPDATE_NOT_FOUND, `hawkBit has no deployment to install for ${view.info.serial} (${outcome.kind})`);
  return { report: null, artifact, code: error.code, error };
}
