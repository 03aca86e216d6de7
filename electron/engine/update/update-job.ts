import { randomUUID } from 'node:crypto';
import type { JobLogLine, JobReport, StageRecord } from '../../shared/contract';
import { INSTALL_STEPS, STAGE_NAMES } from '../../shared/contract';
import { E, lookupError, ZucError } from '../../shared/errors';
import { jobLogLine, logError, logText, type LogEntry } from '../../shared/job-log';
import type { Clock } from '../clock';
import type { PackageCache } from '../download';
import type { Outbox } from '../report';
import type { Engine } from '../service/engine';
import { chooseRoute, findAllUpdates, type FetchProgress, type SourceFailure, type TerminalForUpdate, type UpdateOffer, type UpdateRoute } from '../sources';
import { extractBaseImage, findBaseOffer } from './delta-base';
import { flashAndWait } from './flash-and-wait';
import type { HawkbitDeployments } from './hawkbit-update';
import { screenOffers, skippedLine, skippedView, skipsAboveRoute, type SkippedUpdate } from './offer-screening';
import { offeringSources, sourceSteps, type ConfiguredSource } from './source-order';
import type { UpdateReport, UpdateStartedNote } from './update-report';

export interface UpdateJobDeps {
  engine: Engine;
  /** In priority order: the first that offers an update serves the terminal. */
  sources: readonly ConfiguredSource[];
  cache: PackageCache;
  /** hawkBit feedback is queued here. */
  outbox: Outbox;
  clock: Clock;
  /** Where base images for deltas are extracted. */
  workDir: string;
  /** Stores a job that ended before the flash pipeline started (nothing was written), with its log. */
  recordUnflashed(report: JobReport, log: JobLogLine[]): void;
  /** The flash job started: from now on a crash leaves it interrupted in the history. */
  flashStarted?(note: UpdateStartedNote): void;
  onDownloadProgress?(address: string, progress: FetchProgress): void;
  signal?: AbortSignal;
}

type Level = JobLogLine['level'];

/** What the job learned before the flash pipeline took over. */
interface Plan {
  route: UpdateRoute;
  offer: UpdateOffer;
  delta: boolean;
  deltaSourceFiles?: string[];
  packagePath: string;
}

/**
 * One terminal's update: identify it, ask every source, choose the route,
 * download the package into the shared cache, then hand it to the engine's
 * flash pipeline, whose verify stage checks signature, model, hardware
 * revision and anti-rollback against the terminal before a byte is written.
 * Never throws: every failure ends in a report with a catalogued code.
 */
export class UpdateJob {
  private readonly lines: JobLogLine[] = [];
  private readonly id = randomUUID();
  private readonly startedAt: number;
  private detectMs = 0;
  private download: StageRecord = { name: 'download', status: 'pending', ms: null };
  private terminal: TerminalForUpdate & { serial: string; activeSlot: 'a' | 'b' } = { model: '', hwRevision: '', firmwareVersion: '', serial: '', activeSlot: 'a' };
  private plan: Partial<Plan> = {};
  /** Newer packages left out of the route for their signature: in the log and the report. */
  private skipped: SkippedUpdate[] = [];
  /** What a hawkBit deployment named, when it ended before the flash pipeline ran. */
  private deployed: { packageId: string; source: string; version: string } | null = null;

  constructor(
    readonly address: string,
    private readonly deps: UpdateJobDeps,
  ) {
    this.startedAt = deps.clock.now();
  }

  async run(): Promise<UpdateReport> {
    let plan: Plan | UpdateReport;
    try {
      plan = await this.prepare();
    } catch (err) {
      return this.unflashed(ZucError.from(err));
    }
    // hawkBit served the terminal: its deployment ran to the end already.
    if ('jobId' in plan) return plan;
    try {
      const report = await this.flash(plan);
      if (!plan.delta || report.result !== 'failed' || !plan.route.full) return report;
      // Nothing was activated: the terminal still runs its old slot, and the full package needs no base.
      this.log('warn', logText('delta-failed-full-instead', { code: report.code, packageId: plan.route.full.packageId }));
      const full = plan.route.full;
      const fullPlan: Plan = { route: plan.route, offer: full, delta: false, packagePath: await this.fetch(full) };
      this.plan = fullPlan;
      return await this.flash(fullPlan);
    } catch (err) {
      return this.unflashed(ZucError.from(err));
    }
  }

  /** The install plan of the first source step that offers an update, or the report of a hawkBit deployment that ran. */
  private async prepare(): Promise<Plan | UpdateReport> {
    const { engine, sources, clock, signal } = this.deps;
    if (sources.length === 0) throw new ZucError(E.UPDATE_NO_SOURCES);
    const detectStart = clock.now();
    const view = await engine.addDevice({ address: this.address });
    if (!view.info) throw view.state.kind === 'offline' ? ZucError.fromJSON(view.state.error) : new ZucError(E.TERMINAL_UNREACHABLE, this.address);
    const info = view.info;
    this.terminal = { model: info.model, hwRevision: info.hwRevision, firmwareVersion: info.firmwareVersion, serial: info.serial, activeSlot: info.activeSlot };
    this.log('info', logText('update-terminal-identified', { model: info.model, hwRevision: info.hwRevision, serial: info.serial, version: info.firmwareVersion, agentVersion: info.agentVersion }));
    const failures: SourceFailure[] = [];
    let offerCount = 0;
    for (const step of sourceSteps(sources)) {
      if (step.kind === 'hawkbit') {
        try {
          const report = await this.fromHawkbit(step.hawkbit, detectStart);
          if (report) return report;
        } catch (err) {
          const error = ZucError.from(err);
          failures.push({ source: step.hawkbit.name, error });
          this.log('warn', logText('source-failed', { source: step.hawkbit.name, error: logError(error) }));
        }
        continue;
      }
      const found = await findAllUpdates(step.sources, this.terminal, signal ? { signal } : {});
      for (const failure of found.failures) this.log('warn', logText('source-failed', { source: failure.source, error: logError(failure.error) }));
      failures.push(...found.failures);
      offerCount += found.offers.length;
      this.log('info', logText('offers', { offers: found.offers.map(({ packageId, type, version, size, source }) => ({ packageId, type, version, size, source })) }));
      const screened = await screenOffers(found.offers, this.terminal, engine.signaturePolicy());
      for (const s of screened.skipped) this.log('warn', skippedLine(s));
      this.skipped.push(...screened.skipped);
      const route = chooseRoute(screened.eligible, this.terminal);
      if (route) {
        this.skipped = skipsAboveRoute(this.skipped, route.offer.version);
        return this.planRoute(route, info, detectStart);
      }
    }
    if (offerCount === 0 && failures.length > 0) throw sourcesFailed(failures);
    // Newer packages were there but none this console would install: their refusal says why, not "no update".
    const refused = this.skipped[0];
    if (refused) throw new ZucError(refused.error.entry, `no update this console would install; skipped ${this.skipped.map((s) => `${s.signature.status} ${s.error.detail}`).join('; ')}`);
    throw new ZucError(E.UPDATE_NOT_FOUND, `${info.model} rev ${info.hwRevision} on ${info.firmwareVersion}: ${offerCount} offer(s), none newer`);
  }

  private async planRoute(route: UpdateRoute, info: { agentVersion: number }, detectStart: number): Promise<Plan> {
    const { clock, signal } = this.deps;
    this.detectMs = clock.now() - detectStart;
    const chosen = await this.chooseInstallable(route, onDeviceDelta(info));
    this.plan = chosen;
    const packagePath = await this.fetch(chosen.offer);
    if (chosen.delta && chosen.base) {
      const basePath = await chosen.base.fetch(signal ? { signal } : {});
      chosen.deltaSourceFiles = [await extractBaseImage(basePath, chosen.offer.baseSha256, this.deps.workDir)];
      this.log('info', logText('delta-base-extracted', { packageId: chosen.base.packageId }));
    }
    return { route, offer: chosen.offer, delta: chosen.delta, packagePath, ...(chosen.deltaSourceFiles ? { deltaSourceFiles: chosen.deltaSourceFiles } : {}) };
  }

  /**
   * One hawkBit poll for this terminal: null when the server has nothing for
   * it now (the next source is asked), else the deployment's report. The
   * action is closed with the same code through the outbox.
   */
  private async fromHawkbit(hawkbit: HawkbitDeployments, detectStart: number): Promise<UpdateReport | null> {
    const { engine, clock, outbox } = this.deps;
    const outcome = await hawkbit.install({
      engine,
      outbox,
      address: this.address,
      serial: this.terminal.serial,
      log: (entry) => this.log('info', entry),
      started: (jobId) => {
        this.detectMs = clock.now() - detectStart;
        this.lines.forEach((line) => engine.appendJobLog({ ...line, jobId }));
        this.deps.flashStarted?.({ jobId, package: null, source: hawkbit.name, delta: false, bytesSaved: 0 });
      },
    });
    if (outcome.kind === 'none') {
      this.log('info', logText('hawkbit-nothing-to-install', { source: hawkbit.name, actionId: outcome.actionId, outcome: outcome.outcome }));
      return null;
    }
    const packageId = outcome.artifact ?? '';
    if (!outcome.report) {
      this.deployed = { packageId, source: hawkbit.name, version: outcome.version ?? '' };
      return this.unflashed(new ZucError(lookupError(outcome.code) ?? E.INTERNAL, `${hawkbit.name} action ${outcome.actionId} closed with ${outcome.code} before anything was written`));
    }
    // Timed from this job's start, as for the other sources: the poll and download are part of it.
    return {
      ...outcome.report,
      durationMs: clock.now() - this.startedAt,
      startedAt: new Date(this.startedAt).toISOString(),
      package: packageId,
      source: hawkbit.name,
      delta: false,
      bytesSaved: 0,
      ...this.skippedField(),
    };
  }

  /**
   * A delta needs the terminal's current image. Agent protocol v1 terminals
   * cannot apply deltas themselves, so the console rebuilds the full image
   * from the full package of the running version: worth it only when that
   * package is already here; otherwise the full offer is cheaper.
   */
  private async chooseInstallable(route: UpdateRoute, onDevice: boolean): Promise<{ offer: UpdateOffer; delta: boolean; base?: UpdateOffer; deltaSourceFiles?: string[] }> {
    if (route.offer.type === 'full') {
      this.log('info', logText('route-full', { packageId: route.offer.packageId, version: route.offer.version }));
      return { offer: route.offer, delta: false };
    }
    if (onDevice) {
      // The verify stage checks the terminal's running slot against the delta's source before anything is sent.
      this.log('info', logText('route-delta-on-device', { packageId: route.offer.packageId, base: deltaBase(route.offer), bytesSaved: route.bytesSaved }));
      return { offer: route.offer, delta: true };
    }
    const base = await findBaseOffer(offeringSources(this.deps.sources), this.deps.cache, this.terminal, this.deps.signal);
    if (base?.local || (base && !route.full)) {
      this.log('info', logText('route-delta-with-base', { packageId: route.offer.packageId, base: deltaBase(route.offer), bytesSaved: route.bytesSaved, basePackageId: base.offer.packageId }));
      return { offer: route.offer, delta: true, base: base.offer };
    }
    if (route.full) {
      this.log('info', logText('route-full-no-base', { packageId: route.full.packageId }));
      return { offer: route.full, delta: false };
    }
    throw new ZucError(E.UPDATE_DELTA_BASE_UNAVAILABLE, `${route.offer.packageId} applies to ${route.offer.baseVersion ?? route.offer.baseSha256}; no full package of ${this.terminal.firmwareVersion} or ${route.offer.version} is offered`);
  }

  /** The download stage: skipped when the package is already in the cache. */
  private async fetch(offer: UpdateOffer): Promise<string> {
    const { clock, cache, signal } = this.deps;
    const start = clock.now();
    this.download = { name: 'download', status: 'active', ms: null };
    const cached = await cache.lookup(offer.sha256, offer.size);
    try {
      const file = await offer.fetch({
        ...(signal ? { signal } : {}),
        onProgress: (p) => this.deps.onDownloadProgress?.(this.address, p),
      });
      this.download = { name: 'download', status: cached ? 'skipped' : 'done', ms: clock.now() - start };
      this.log(
        'info',
        cached
          ? logText('package-cached', { packageId: offer.packageId, sha256: offer.sha256 })
          : logText('package-downloaded', { packageId: offer.packageId, bytes: offer.size, source: offer.source, sha256: offer.sha256 }),
      );
      return file;
    } catch (err) {
      this.download = { name: 'download', status: 'failed', ms: clock.now() - start };
      throw err;
    }
  }

  /** Verify and install: the engine's flash pipeline, unchanged, on the cached package. */
  private async flash(plan: Plan): Promise<UpdateReport> {
    const report = await flashAndWait(this.deps.engine, {
      address: this.address,
      path: plan.packagePath,
      imageName: `${plan.offer.packageId}.zup`,
      ...(plan.deltaSourceFiles ? { deltaSourceFiles: plan.deltaSourceFiles } : {}),
      ...(this.download.status === 'done' || this.download.status === 'skipped' ? { download: { status: this.download.status, ms: this.download.ms } } : {}),
      started: (jobId) => {
        // This job's own lines first, so the job log reads in order.
        this.lines.forEach((line) => this.deps.engine.appendJobLog({ ...line, jobId }));
        this.deps.flashStarted?.({ jobId, package: plan.offer.packageId, source: plan.offer.source, delta: plan.delta, bytesSaved: plan.delta ? plan.route.bytesSaved : 0 });
      },
    });
    return this.finish(report, plan);
  }

  private finish(report: JobReport, plan: Plan): UpdateReport {
    const stages = report.stages.map((s) => (s.name === 'download' ? this.download : s.name === 'detect' && s.ms !== null ? { ...s, ms: s.ms + this.detectMs } : s));
    return {
      ...report,
      stages,
      durationMs: this.deps.clock.now() - this.startedAt,
      startedAt: new Date(this.startedAt).toISOString(),
      package: plan.offer.packageId,
      source: plan.offer.source,
      delta: plan.delta,
      bytesSaved: plan.delta ? plan.route.bytesSaved : 0,
      ...this.skippedField(),
    };
  }

  /** A job that ended before the pipeline wrote anything: its own report, stored with its log. */
  private unflashed(error: ZucError): UpdateReport {
    const now = this.deps.clock.now();
    this.log('error', logText('error', { error: logError(error) }));
    const stages: StageRecord[] = STAGE_NAMES.map((name) => {
      if (name === 'download') return this.download.status === 'pending' ? { ...this.download, status: 'skipped' } : this.download;
      // Detect and poll are one stage: it is done once a route was found.
      if (name === 'detect') return { name, status: this.detectMs > 0 ? 'done' : 'failed', ms: this.detectMs || now - this.startedAt };
      if (name === 'install') return { name, status: 'skipped', ms: null, steps: INSTALL_STEPS.map((step) => ({ name: step, status: 'skipped' as const, ms: null })) };
      return { name, status: name === 'report' ? 'done' : 'skipped', ms: name === 'report' ? 0 : null };
    });
    const report: UpdateReport = {
      jobId: this.id,
      address: this.address,
      serial: this.terminal.serial,
      model: this.terminal.model,
      imageName: this.plan.offer ? `${this.plan.offer.packageId}.zup` : (this.deployed?.packageId ?? ''),
      result: 'failed',
      code: error.code,
      error: error.toJSON(),
      stages,
      fromVersion: this.terminal.firmwareVersion,
      toVersion: this.plan.offer?.version ?? this.deployed?.version ?? '',
      activeSlot: this.terminal.activeSlot,
      bytesSent: 0,
      durationMs: now - this.startedAt,
      startedAt: new Date(this.startedAt).toISOString(),
      finishedAt: new Date(now).toISOString(),
      package: this.plan.offer?.packageId ?? this.deployed?.packageId ?? null,
      source: this.plan.offer?.source ?? this.deployed?.source ?? null,
      delta: this.plan.delta ?? false,
      bytesSaved: 0,
      ...this.skippedField(),
    };
    const { package: _pkg, source: _src, delta: _delta, bytesSaved: _saved, skipped: _skipped, ...jobReport } = report;
    try {
      this.deps.recordUnflashed(jobReport, this.lines.map((l) => ({ ...l, jobId: this.id })));
    } catch (err) {
      // The report still reaches the caller; only the history misses it.
      report.error = { ...(report.error ?? error.toJSON()), detail: `${report.error?.detail ?? ''} (not stored: ${(err as Error).message})` };
    }
    return report;
  }

  /** Only when something was skipped: reports of ordinary updates keep their shape. */
  private skippedField(): Pick<UpdateReport, 'skipped'> {
    return this.skipped.length > 0 ? { skipped: this.skipped.map(skippedView) } : {};
  }

  private log(level: Level, entry: LogEntry): void {
    this.lines.push(jobLogLine(this.id, new Date(this.deps.clock.now()).toISOString(), level, entry));
  }
}

/**
 * Whether the terminal applies deltas itself (agent protocol 2 with the
 * delta capability). An identity without capabilities but protocol 2 is
 * given the chance: if it cannot, the job falls back to the full package
 * before anything was written.
 */
function onDeviceDelta(info: { agentVersion: number }): boolean {
  const capabilities = (info as { capabilities?: { delta?: unknown } }).capabilities;
  return capabilities ? capabilities.delta === true : info.agentVersion >= 2;
}

/** What a delta applies to, as the route line names it: the base version when the offer says, else the base image's hash. */
function deltaBase(offer: UpdateOffer): string {
  return offer.baseVersion ?? offer.baseSha256 ?? '';
}

function sourcesFailed(failures: readonly { source: string; error: ZucError }[]): ZucError {
  // One source: its own code says more (a hash mismatch, a malformed index) than "all sources failed".
  if (failures.length === 1) return failures[0]!.error;
  return new ZucError(E.UPDATE_SOURCES_FAILED, failures.map((f) => `${f.source}: ${f.error.code} ${f.error.message}`).join('; '));
}
