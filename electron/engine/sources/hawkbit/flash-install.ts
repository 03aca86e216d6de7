import { E, ZucError } from '../../../shared/errors';
import type { Engine } from '../../service/engine';
import { flashAndWait } from '../../update/flash-and-wait';
import type { InstallArtifacts } from './hawkbit-poller';

/**
 * The install step for a hawkBit action whose artifact is one firmware image
 * or package: flashes it through the engine onto the terminal at `address`
 * and hands the job's code and log to the closing feedback.
 */
export function flashInstaller(engine: Engine, address: string): InstallArtifacts {
  return async ({ artifacts, log }) => {
    if (artifacts.length !== 1) throw new ZucError(E.DEPLOYMENT_UNUSABLE, `expected one firmware image, the deployment has ${artifacts.length} artifacts`);
    const artifact = artifacts[0]!;
    const report = await flashAndWait(engine, {
      address,
      path: artifact.path,
      imageName: artifact.filename,
      started: (id) => log(`flashing ${artifact.filename} onto ${address} (job ${id})`),
    });
    // The report is what counts; a log that cannot be read only makes the feedback shorter.
    const lines = await engine.getJobLog({ jobId: report.jobId }).catch(() => []);
    return { code: report.code, details: lines.map((line) => `${line.level} ${line.message}`) };
  };
}
