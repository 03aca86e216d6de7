import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { z } from 'zod';
import {
  aggregateHistory,
  finishedJobView,
  serviceSchema,
  type ConsoleService,
  type DeviceView,
  type JobLogLine,
  type JobView,
  type UpdateReportView,
  type MethodName,
  type MethodRequest,
  type StoredSettings,
} from '../../shared/contract';
import { E, ERROR_CATALOG, ZucError } from '../../shared/errors';
import type { DiscoveryOptions } from '../../../native/discovery';
import type { TerminalConnector } from '../../../native/terminal/terminal-driver';
import { systemClock, type Clock } from '../clock';
import { defaultDataDir } from '../data-dir';
import type { PackagePolicy } from '../image/package-image';
import { checkFlashCompatibility } from '../image/flash-compatibility';
import { ImageStaging } from '../image/staging';
import { defaultTrustStoreDir } from '../package';
import { FlashJob, type FlashJobDeps, type FlashJobEnd } from '../pipeline/flash-job';
import { DeviceStore, JobStore, openDatabase } from '../store';
import { SettingsStore } from '../settings';
import { PackageCache } from '../download';
import { checkForUpdates, HawkbitDeployments, settingsUpdateSources, UpdateService } from '../update';
import { resolveTimeouts, type EngineTimeouts } from '../timeouts';
import { defaultConnector } from './default-connector';
import { DeviceRegistry } from './device-registry';
import { startDiscovery } from './discovery-wiring';
import { EventHub } from './event-hub';
import { startHawkbitPolling } from './hawkbit-polling';
import { RetryPlans } from './retry-plans';
import { checkRetryImage, sameImageAs } from './retry-image';
import type { LoadedImage } from '../image/load-image';
import { libraryService } from './library-service';
import { historyCsv } from '../history/history-csv';
import { consoleVersion } from '../support/console-version';
import { buildSupportBundle } from '../support/support-bundle';
import { rebootTerminal } from '../support/reboot-terminal';
import { RollbackJob } from '../support/rollback-job';
import { rollbackTarget } from '../support/slot-rollback';

export interface EngineOptions {
  /** User data folder holding `zuc.db` and staged images; defaults to `defaultDataDir()`. */
  dataDir?: string;
  /** Opens a driver for an address; defaults to the ZTE agent protocol client. */
  connector?: TerminalConnector;
  clock?: Clock;
  timeouts?: Partial<EngineTimeouts>;
  /** Public keys packages must be signed with; defaults to `<dataDir>/trust`. */
  trustStoreDir?: string;
  /** Development only: flash unsigned and untrusted packages (each job logs a loud warning). */
  allowUnsignedPackages?: boolean;
  /** Files offered as the terminal's current image, so a delta package can be flashed (`zuc flash --source`). */
  deltaSourceFiles?: readonly string[];
  /** Re-identify, in the background, every terminal known from earlier runs (the desktop app and station want this; the CLI does not). */
  restoreDevices?: boolean;
  /** Where the engine's own warnings go (a refused settings file, discovery problems); defaults to stderr. Never given a secret. */
  log?: (line: string) => void;
  /** Find terminals by themselves: serial port list, USB hotplug, TCP terminals from settings (the desktop app and station want this; the CLI and most tests do not). `true` uses the system's ports and USB. */
  discovery?: DiscoveryOptions | boolean;
  /**
   * Deliver queued update reports (and hawkBit feedback) in the background from the start, when a
   * report endpoint is set (default true: the desktop app and station). `zuc update` delivers its own.
   */
  reportInBackground?: boolean;
  /**
   * Poll the hawkBit servers whose `poll` setting is on, in the background, for every identified
   * terminal, and install what they assign (the desktop app and station want this; the CLI and most tests do not).
   */
  pollHawkbit?: boolean;
}

export type Engine = ConsoleService & {
  /** Not in the contract: the settings in force with their secrets (the hawkBit token), for the engine's own update jobs only. */
  currentSettings(): StoredSettings;
  /** Not in the contract: the trust store and development flag in force, so update routes offer only packages this console would install. */
  signaturePolicy(): Pick<PackagePolicy, 'trustStore' | 'allowUnsigned'>;
  /** Adds and identifies every terminal known from earlier runs, one after the other; resolves with their views. */
  restoreKnownDevices(): Promise<DeviceView[]>;
  /**
   * Not in the contract: the update job's way in. Flashes a package already
   * in the cache through the same pipeline as startFlash, with this job's
   * own delta source (the terminal's current image, when the console has it).
   */
  startPackageFlash(request: { address: string; path: string; imageName?: string; deltaSourceFiles?: readonly string[]; download?: FlashJobDeps['download'] }): Promise<JobView>;
  /** Not in the contract: adds a line to a job's own log (the update job's detect, poll and download lines). */
  appendJobLog(line: JobLogLine): void;
  /** Stops jobs that may still stop safely, waits briefly for the others, and closes the database. */
  close(): Promise<void>;
};

/** Finished jobs the snapshot still lists; older ones are in the history. */
const SNAPSHOT_FINISHED_JOBS = 50;
const DEFAULT_HISTORY_LIMIT = 100;
/** An export without a limit takes the whole history a filter can return. */
const MAX_HISTORY_EXPORT = 10_000;
/** Jobs the History charts summarise: years of a busy bench. */
const MAX_HISTORY_STATS_JOBS = 200_000;

/**
 * The console engine: device registry, flash jobs and history behind the
 * one service contract. Every request is validated here too, so a direct
 * caller (CLI, tests) gets the same errors as one over IPC or WebSocket.
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const dataDir = options.dataDir ?? defaultDataDir();
  const clock = options.clock ?? systemClock;
  const connector = options.connector ?? defaultConnector;
  const timeouts = resolveTimeouts(options.timeouts);
  const db = openDatabase(dataDir);
  const log = options.log ?? ((line: string) => console.error(`zuc engine: ${line}`));
  const settings = new SettingsStore(dataDir, log);
  const jobStore = new JobStore(db);
  jobStore.markInterrupted(new Date(clock.now()).toISOString());
  const staging = new ImageStaging(dataDir);
  const packagePolicy: PackagePolicy = {
    // A getter, read when a job starts: a trusted-keys folder chosen in Settings applies to the next job.
    get trustStore() {
      return options.trustStoreDir ?? settings.current().trustedKeysFolder ?? defaultTrustStoreDir(dataDir);
    },
    allowUnsigned: options.allowUnsignedPackages ?? false,
    deltaSourceFiles: options.deltaSourceFiles ?? [],
  };
  void staging.prune(clock.now());

  const deviceChanged = new EventHub<DeviceView>();
  const deviceRemoved = new EventHub<{ address: string }>();
  const jobChanged = new EventHub<JobView>();
  const jobLog = new EventHub<JobLogLine>();
  const updateReported = new EventHub<UpdateReportView>();
  const deviceStore = new DeviceStore(db);
  const registry = new DeviceRegistry(
    connector,
    timeouts,
    clock,
    deviceStore,
    (view) => deviceChanged.fire(view),
    (address) => deviceRemoved.fire({ address }),
    (address) => jobStore.runningJobAt(address),
  );

  const discovery = options.discovery ? startDiscovery(options.discovery === true ? {} : options.discovery, registry, settings, log) : null;

  const jobs = new Map<string, { readonly id: string; readonly view: JobView }>();
  const retryPlans = new RetryPlans(db);
  /** Every job view goes out this way: a finished job says whether Retry applies to it. */
  const emitJob = (view: JobView) => jobChanged.fire(retryPlans.judged(view));
  const running = new Map<string, { job: { cancel(): void }; done: Promise<void> }>();
  let closed = false;

  async function restoreKnownDevices(): Promise<DeviceView[]> {
    const views: DeviceView[] = [];
    // One after the other: several addresses may be ports of one USB hub, which dislikes parallel opens.
    for (const known of deviceStore.list()) {
      if (closed) break;
      views.push(await registry.identify(known.address));
    }
    return views;
  }
  if (options.restoreDevices) void restoreKnownDevices().catch(() => undefined);

  interface StartOptions {
    id?: string;
    policy?: PackagePolicy;
    download?: FlashJobDeps['download'];
    /** Sees the image the job read before anything is written; throws to fail the job. */
    imageRead?: (image: LoadedImage) => void;
  }

  function startJob(address: string, imageName: string, image: MethodRequest<'startFlash'>['image'], options: StartOptions = {}): JobView {
    registry.require(address);
    // Not refuseBusy: an update job starts its flash here while its terminal counts as updating.
    refuseRunning(address);
    const { imageRead, download } = options;
    const job = new FlashJob(options.id ?? randomUUID(), address, imageName, image, {
      connector,
      timeouts,
      clock,
      store: jobStore,
      loadImage: async (ref) => {
        const loaded = await staging.load(ref);
        imageRead?.(loaded);
        return loaded;
      },
      packagePolicy: options.policy ?? packagePolicy,
      backupDir: path.join(dataDir, 'backups'),
      ...(download ? { download } : {}),
      emitJob,
      emitLog: (line) => jobLog.fire(line),
      ended: jobEnded(address),
    });
    return launch(address, job);
  }

  /** What a job's end does to its terminal: free for the next command, and shown identified, or offline with the reason. */
  function jobEnded(address: string): (end: Pick<FlashJobEnd, 'terminal' | 'unreachable'>) => void {
    return (end) => {
      running.delete(address);
      if (closed) return;
      if (end.unreachable) registry.offline(address, end.unreachable);
      else if (end.terminal) registry.identified(address, end.terminal);
      else registry.offline(address, new ZucError(E.TERMINAL_UNREACHABLE, address));
    };
  }

  /** Registers a job on its terminal and runs it; the job reports every terminal failure itself. */
  function launch(address: string, job: { readonly id: string; readonly view: JobView; cancel(): void; run(): Promise<unknown> }): JobView {
    jobs.set(job.id, job);
    forgetOldJobs();
    registry.busy(address, job.id);
    emitJob(job.view);
    // Started on the next turn, so a remote caller gets the queued view before the first transition.
    const done = new Promise((resolve) => setImmediate(resolve)).then(() => job.run()).then(
      () => undefined,
      (err: unknown) => {
        // Only a broken store gets here.
        running.delete(address);
        if (!closed) registry.offline(address, ZucError.from(err));
      },
    );
    running.set(address, { job, done });
    return job.view;
  }

  /** A terminal running a job here, or waiting for its update here, takes no other command. */
  function busyHere(address: string): boolean {
    return running.has(address) || updating.has(address);
  }

  /** A terminal running a job here or in another console takes no other job: two consoles on one terminal would cut each other's link mid-write. */
  function refuseRunning(address: string): void {
    if (running.has(address)) throw new ZucError(E.TERMINAL_BUSY, `${address} already runs a job`);
    const elsewhere = jobStore.runningJobAt(address);
    if (elsewhere) throw new ZucError(E.TERMINAL_BUSY, `${address} runs job ${elsewhere} in another console window or command`);
  }

  /** A terminal running a job here or in another console, or waiting for its update, takes no other command. */
  function refuseBusy(address: string): void {
    if (busyHere(address)) throw new ZucError(E.TERMINAL_BUSY, `${address} already runs a job`);
    refuseRunning(address);
  }

  async function startRollback(address: string): Promise<JobView> {
    registry.require(address);
    refuseBusy(address);
    // Checked on a fresh identity before any job exists, so a refusal changes nothing and leaves no history entry.
    const view = await registry.identify(address);
    if (!view.info || view.state.kind !== 'ready') throw new ZucError(E.TERMINAL_UNREACHABLE, address);
    rollbackTarget(view.info);
    refuseBusy(address);
    const job = new RollbackJob(randomUUID(), address, {
      connector,
      timeouts,
      clock,
      store: jobStore,
      emitJob,
      emitLog: (line) => jobLog.fire(line),
      ended: jobEnded(address),
    });
    const started = launch(address, job);
    retryPlans.remember(started.id, { kind: 'rollback', address });
    return started;
  }

  /**
   * A manual flash, remembered so Retry can start it again with the same image: by absolute path
   * (a later console may run elsewhere), and the bytes this job reads (`sha256`, given for a retry).
   */
  function startRememberedFlash(address: string, imageName: string, ref: MethodRequest<'startFlash'>['image'], sha256: string | null = null): JobView {
    const id = randomUUID();
    const image = ref.kind === 'path' ? { kind: 'path' as const, path: staging.fileOf(ref) } : ref;
    const plan = { kind: 'flash' as const, address, imageName, image, sha256 };
    const sameImage = sameImageAs(plan);
    const view = startJob(address, imageName, image, {
      id,
      imageRead: (loaded) => {
        sameImage(loaded.sha256);
        retryPlans.imageRead(id, loaded.sha256);
      },
    });
    retryPlans.remember(id, plan);
    return view;
  }

  /** An update that ended before anything was flashed has no flash job: it is shown, and retried, as a finished job of its own. */
  function unflashedUpdateEnded(report: UpdateReportView): void {
    if (jobs.has(report.jobId)) return;
    const { package: _pkg, source: _src, delta: _delta, bytesSaved: _saved, skipped: _skipped, ...jobReport } = report;
    const view = finishedJobView(jobReport);
    jobs.set(view.id, { id: view.id, view });
    forgetOldJobs();
    emitJob(view);
  }

  function forgetOldJobs(): void {
    const finished = [...jobs.values()].filter((j) => j.view.state.kind === 'done');
    for (const job of finished.slice(0, Math.max(0, finished.length - SNAPSHOT_FINISHED_JOBS))) jobs.delete(job.id);
  }

  function open(): void {
    if (closed) throw new ZucError(E.INTERNAL, 'the engine was closed');
  }

  // Created on first use: a console that never updates opens no second connection to the database.
  const packageCache = PackageCache.inDataDir(dataDir);
  // hawkBit servers included, in the settings' priority order: what update jobs and checks ask.
  const configuredSources = settingsUpdateSources(() => settings.current(), packageCache);
  let updateService: UpdateService | null = null;
  /** Terminals with an update queued or running, each with a token of that one run (a retry may queue the next run before the last one has settled). */
  const updating = new Map<string, object>();
  function updates(): UpdateService {
    updateService ??= new UpdateService({
      engine,
      dataDir,
      sources: configuredSources,
      cache: packageCache,
      concurrency: settings.current().concurrency,
      clock,
      reportUrl: () => settings.current().reportUrl ?? null,
      onReport: (report) => {
        // An update that ended before anything was flashed has no flash job: remember it here.
        retryPlans.remember(report.jobId, { kind: 'update', address: report.address });
        // Ended: the terminal takes its next job (a retry) from the moment its report is out.
        updating.delete(report.address);
        if (closed) return;
        unflashedUpdateEnded(report);
        updateReported.fire(report);
      },
    });
    return updateService;
  }

  const library = libraryService({
    sources: configuredSources,
    configured: () => settings.current().sources,
    terminals: () => registry.list().flatMap((v) => (v.info ? [{ serial: v.info.serial, model: v.info.model, hwRevision: v.info.hwRevision }] : [])),
    trustStore: () => packagePolicy.trustStore,
    cache: packageCache,
  });

  const engine: Engine = {
    async getSnapshot(request) {
      validate('getSnapshot', request);
      const live = [...jobs.values()].map((j) => retryPlans.judged(j.view));
      // Jobs Retry applies to that this engine did not run (an earlier console run) or no longer lists.
      const earlier = retryPlans.earlierRetryable(new Set(jobs.keys()), (id) => jobStore.getReport(id));
      return { devices: registry.list(), jobs: [...live, ...earlier] };
    },
    async addDevice(request) {
      open();
      const { address } = validate('addDevice', request);
      const view = registry.identify(address.trim());
      discovery?.watchSerialPath(address.trim());
      return view;
    },
    async refreshDevice(request) {
      open();
      const { address } = validate('refreshDevice', request);
      registry.require(address);
      return registry.identify(address);
    },
    async removeDevice(request) {
      open();
      const { address } = validate('removeDevice', request);
      registry.remove(address);
      return {};
    },
    async stageImage(request) {
      open();
      const { name, data } = validate('stageImage', request);
      return staging.stage(name, data);
    },
    async checkFlashCompatibility(request) {
      open();
      const { image, addresses } = validate('checkFlashCompatibility', request);
      const file = await staging.load(image);
      const terminals = addresses.map((address) => ({ address, view: registry.get(address) ?? null, busy: busyHere(address) }));
      return checkFlashCompatibility(file, terminals, packagePolicy);
    },
    async startFlash(request) {
      open();
      const { address, image } = validate('startFlash', request);
      return startRememberedFlash(address, await staging.nameOf(image), image);
    },
    async listHistory(request) {
      open();
      const { limit, ...filter } = validate('listHistory', request);
      return jobStore.findReports(filter, limit ?? DEFAULT_HISTORY_LIMIT);
    },
    async exportHistoryCsv(request) {
      open();
      const { limit, ...filter } = validate('exportHistoryCsv', request);
      return { csv: historyCsv(jobStore.findReports(filter, limit ?? MAX_HISTORY_EXPORT)) };
    },
    async getHistoryStats(request) {
      open();
      const { bucket, utcOffsetMinutes, ...filter } = validate('getHistoryStats', request);
      return aggregateHistory(jobStore.findReports(filter, MAX_HISTORY_STATS_JOBS), { bucket, utcOffsetMinutes });
    },
    async exportSupportBundle(request) {
      open();
      const { jobId } = validate('exportSupportBundle', request);
      const report = jobStore.getReport(jobId);
      if (!report) throw new ZucError(E.JOB_NOT_FOUND, jobId);
      // The terminal as last identified: by serial first (it may have moved to another port since), else by address.
      const known = [...registry.list().map((v) => v.info), ...deviceStore.list().map((d) => d.info)];
      const terminal = known.find((i) => i && report.serial && i.serial === report.serial) ?? known.find((i) => i?.address === report.address) ?? null;
      const secrets = settings.current().sources.flatMap((s) => (s.kind === 'hawkbit' && s.token ? [s.token] : []));
      return buildSupportBundle({ report, jobLog: jobStore.getLog(jobId), terminal, settings: settings.reload(), consoleVersion: consoleVersion(), secrets, now: new Date(clock.now()) });
    },
    async rollbackDevice(request) {
      open();
      const { address } = validate('rollbackDevice', request);
      return startRollback(address.trim());
    },
    async rebootDevice(request) {
      open();
      const address = validate('rebootDevice', request).address.trim();
      registry.require(address);
      refuseBusy(address);
      try {
        return registry.identified(address, await rebootTerminal(address, connector, timeouts, clock));
      } catch (err) {
        registry.offline(address, ZucError.from(err));
        throw err;
      }
    },
    async getErrorStats(request) {
      open();
      validate('getErrorStats', request);
      return jobStore.errorStats();
    },
    async getJobLog(request) {
      open();
      const { jobId } = validate('getJobLog', request);
      return jobStore.getLog(jobId);
    },
    async listErrors(request) {
      validate('listErrors', request);
      return ERROR_CATALOG.map((e) => ({ ...e }));
    },
    currentSettings: () => settings.current(),
    signaturePolicy: () => ({ trustStore: packagePolicy.trustStore, allowUnsigned: packagePolicy.allowUnsigned }),
    async getSettings(request) {
      validate('getSettings', request);
      // Read again: another console process (desktop app, station, CLI) may have saved since.
      return settings.reload();
    },
    async updateSettings(request) {
      open();
      return settings.update(request);
    },
    restoreKnownDevices() {
      open();
      return restoreKnownDevices();
    },
    async checkForUpdates(request) {
      open();
      const { address } = validate('checkForUpdates', request);
      return checkForUpdates(engine, configuredSources(), address.trim());
    },
    async startUpdate(request) {
      open();
      const { addresses } = validate('startUpdate', request);
      const service = updates();
      // A terminal already waiting for or running an update is not queued twice.
      const queued = [...new Set(addresses.map((a) => a.trim()))].filter((address) => !updating.has(address));
      for (const address of queued) {
        const run = {};
        updating.set(address, run);
        void service
          .update(address)
          // A job reports every failure itself; only a broken store gets to this catch.
          .catch((err: unknown) => log(`update of ${address}: ${ZucError.from(err).message}`))
          .finally(() => {
            if (updating.get(address) === run) updating.delete(address);
          });
      }
      return { queued };
    },
    async retryJob(request) {
      open();
      const { jobId } = validate('retryJob', request);
      const plan = retryPlans.planFor(jobId, jobStore.getReport(jobId) ?? null);
      if (plan.kind === 'flash') {
        await checkRetryImage(plan, staging.fileOf(plan.image));
        return { kind: plan.kind, address: plan.address, job: startRememberedFlash(plan.address, plan.imageName, plan.image, plan.sha256) };
      }
      if (plan.kind === 'rollback') return { kind: plan.kind, address: plan.address, job: await startRollback(plan.address) };
      const { queued } = await engine.startUpdate({ addresses: [plan.address] });
      if (queued.length === 0) throw new ZucError(E.TERMINAL_BUSY, `${plan.address} is already waiting for its update`);
      return { kind: plan.kind, address: plan.address, job: null };
    },
    async listPackages(request) {
      open();
      validate('listPackages', request);
      return library.listPackages();
    },
    async getPackageDetails(request) {
      open();
      return library.getPackageDetails(validate('getPackageDetails', request));
    },
    async importPackage(request) {
      open();
      return library.importPackage(validate('importPackage', request));
    },
    async startPackageFlash(request) {
      open();
      const image = { kind: 'path' as const, path: request.path };
      const policy = request.deltaSourceFiles ? { ...packagePolicy, deltaSourceFiles: request.deltaSourceFiles } : packagePolicy;
      const view = startJob(request.address, request.imageName ?? (await staging.nameOf(image)), image, { policy, ...(request.download ? { download: request.download } : {}) });
      // Only update jobs come this way: their retry is the whole update again (poll, download, flash).
      retryPlans.remember(view.id, { kind: 'update', address: request.address });
      return view;
    },
    appendJobLog(line) {
      open();
      jobStore.appendLog(line);
      jobLog.fire(line);
    },
    onDeviceChanged: deviceChanged.event,
    onDeviceRemoved: deviceRemoved.event,
    onJobChanged: jobChanged.event,
    onJobLog: jobLog.event,
    onUpdateReport: updateReported.event,
    onSettingsChanged: settings.onChanged,
    async close() {
      if (closed) return;
      await discovery?.stop();
      // Polls end at once; an install under way ends with its job, which is cancelled next.
      const pollingStopped = hawkbitPolling?.stop();
      for (const { job } of running.values()) job.cancel();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, timeouts.closeGraceMs).unref());
      await Promise.race([Promise.all([...running.values()].map((r) => r.done)), grace]);
      if (pollingStopped) await Promise.race([pollingStopped, new Promise<void>((resolve) => setTimeout(resolve, timeouts.closeGraceMs).unref())]);
      closed = true;
      for (const hub of [deviceChanged, deviceRemoved, jobChanged, jobLog, updateReported]) hub.clear();
      await updateService?.close();
      settings.close();
      // A job still running past the grace period goes on without a record; once this process
      // has ended, the next console to start marks it interrupted.
      db.close();
    },
  };
  // Reports an earlier console queued go to the backend now, not only after the next update starts.
  if (options.reportInBackground !== false && settings.current().reportUrl) updates();
  const hawkbitPolling = options.pollHawkbit
    ? startHawkbitPolling({
        engine,
        settings,
        devices: () => registry.list(),
        busy: busyHere,
        db,
        cache: packageCache,
        feedbackClients: () => configuredSources().flatMap((s) => (s instanceof HawkbitDeployments ? [s.client] : [])),
        clock,
        log,
      })
    : null;
  return engine;
}

function validate<K extends MethodName>(method: K, request: unknown): z.output<(typeof serviceSchema.methods)[K]['request']> {
  const check = serviceSchema.methods[method].request.safeParse(request);
  if (!check.success) {
    throw new ZucError(E.BAD_REQUEST, `${method}: ${check.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`);
  }
  return check.data as z.output<(typeof serviceSchema.methods)[K]['request']>;
}
