import type { JobReport } from '../../../shared/contract';
import { E, ZucError } from '../../../shared/errors';
import type { Engine } from '../../service/engine';
import type { InstallArtifacts } from './hawkbit-poller';

/**
 * The install step for a hawkBit action whose artifact is a raw firmware
 * image: flashes it through the engine onto the terminal at `address` and
 * hands the job's code and log to the closing feedback. Until the update
 * pipeline takes over, this is how a deployment reaches a terminal.
 */
export function flashInstaller(engine: Engine, address: string): InstallArtifacts {
  return async ({ artifacts, log }) => {
    if (artifacts.length !== 1) throw new ZucError(E.DEPLOYMENT_UNUSABLE, `expected one firmware image, the deployment has ${artifacts.length} artifacts`);
    const artifact = artifacts[0]!;
    let jobId: string | null = null;
    let resolveReport: (report: JobReport) => void = () => undefined;
    const finished = new Promise<JobReport>((resolve) => (resolveReport = resolve));
    const early: JobReport[] = [];
    const subscription = engine.onJobChanged((view) => {
      if (view.address !== address || view.state.kind !== 'done') return;
      if (jobId === null) early.push(view.state.report);
      else if (view.id === jobId) resolveReport(view.state.report);
    });
    try {
      const started = await engine.startFlash({ address, image: { kind: 'path', path: artifact.path } });
      const id = started.id;
      jobId = id;
      const already = early.find((r) => r.jobId === id);
      if (already) resolveReport(already);
      log(`flashing ${artifact.filename} onto ${address} (job ${id})`);
      const report = await finished;
      // The report is what counts; a log that cannot be read only makes the feedback shorter.
      const lines = await engine.getJobLog({ jobId: id }).catch(() => []);
      return { code: report.code, details: lines.map((line) => `${line.level} ${line.message}`) };
    } finally {
      subscription.dispose();
    }
  };
}
