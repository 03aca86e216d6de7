import type { JobReport } from '../../shared/contract';
import type { Engine } from '../service/engine';

export interface PackageFlashRequest {
  address: string;
  path: string;
  imageName: string;
  deltaSourceFiles?: readonly string[];
  /** The update job's download stage, stored with the flash job's stages in the history. */
  download?: { status: 'done' | 'failed' | 'skipped'; ms: number | null };
  /** Called with the job id before the job's first transition (it starts on the next turn). */
  started?(jobId: string): void;
}

/** Runs the engine's flash pipeline on a package and resolves with the job's report. */
export async function flashAndWait(engine: Engine, request: PackageFlashRequest): Promise<JobReport> {
  const { address } = request;
  let jobId: string | null = null;
  let resolveReport: (report: JobReport) => void = () => undefined;
  const finished = new Promise<JobReport>((resolve) => (resolveReport = resolve));
  // Subscribed before the start: the job may end before startPackageFlash's promise settles here.
  const early: JobReport[] = [];
  const subscription = engine.onJobChanged((view) => {
    if (view.address !== address || view.state.kind !== 'done') return;
    if (jobId === null) early.push(view.state.report);
    else if (view.id === jobId) resolveReport(view.state.report);
  });
  try {
    const view = await engine.startPackageFlash({ address, path: request.path, imageName: request.imageName, ...(request.deltaSourceFiles ? { deltaSourceFiles: request.deltaSourceFiles } : {}), ...(request.download ? { download: request.download } : {}) });
    const id = view.id;
    jobId = id;
    request.started?.(id);
    const already = early.find((r) => r.jobId === id);
    if (already) resolveReport(already);
    return await finished;
  } finally {
    subscription.dispose();
  }
}
