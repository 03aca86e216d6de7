import { z } from 'zod';
import { FlashCompatibilityRequestSchema, FlashCompatibilitySchema } from './compatibility';
import { DeviceViewSchema } from './device';
import { ErrorEntrySchema } from './error-payload';
import { ImageRefSchema, MAX_STAGED_IMAGE_BYTES, StagedImageSchema } from './image';
import { HistoryStatsRequestSchema, HistoryStatsSchema } from './history-stats';
import { JobReportSchema, JobViewSchema } from './job';
import { JobLogLineSchema } from './job-log-line';
import { ImportedPackageSchema, ImportPackageRequestSchema, LibraryListingSchema, PackageDetailsSchema, PackageLocationSchema } from './library';
import { SettingsUpdateSchema, SettingsViewSchema } from './settings';
import { ErrorStatSchema, HistoryCsvSchema, HistoryFilterSchema, SupportBundleSchema } from './support';
import { MAX_UPDATE_ADDRESSES, UpdateCheckSchema, UpdateReportSchema } from './update';

const Empty = z.object({});

/** What a retry started: a flash or rollback job at once, or an update queued on the terminal (its job appears when it starts). */
export const RetriedJobSchema = z.object({
  kind: z.enum(['flash', 'update', 'rollback']),
  address: z.string(),
  job: JobViewSchema.nullable(),
});
export type RetriedJob = z.infer<typeof RetriedJobSchema>;
const Address = z.object({ address: z.string().min(1).max(512) });

export const SnapshotSchema = z.object({
  devices: z.array(DeviceViewSchema),
  jobs: z.array(JobViewSchema),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/**
 * The one contract between any user interface and the engine. Every method
 * takes one request object and resolves to one response; every `onXxx` is an
 * event. Bindings (Electron IPC, WebSocket, direct) are generated from this
 * table and validate every payload on the receiving side.
 */
export const serviceSchema = {
  methods: {
    /** Current devices and jobs; the UI then follows the events. */
    getSnapshot: { request: Empty, response: SnapshotSchema },
    /** Adds a terminal by address and identifies it. */
    addDevice: { request: Address, response: DeviceViewSchema },
    /** Identifies a known terminal again. */
    refreshDevice: { request: Address, response: DeviceViewSchema },
    removeDevice: { request: Address, response: Empty },
    /** Hands an image file's bytes to the engine and returns what it read from it. */
    stageImage: {
      request: z.object({
        name: z.string().min(1).max(255),
        data: z.instanceof(Uint8Array).refine((d) => d.byteLength <= MAX_STAGED_IMAGE_BYTES, 'image too large'),
      }),
      response: StagedImageSchema,
    },
    /** Verifies a staged image or package once and tells, per terminal, whether a flash would be refused (error), needs a second thought (warning) or fits; writes nothing. */
    checkFlashCompatibility: { request: FlashCompatibilityRequestSchema, response: FlashCompatibilitySchema },
    /** Starts a manual flash of one image onto one terminal. */
    startFlash: { request: z.object({ address: z.string().min(1), image: ImageRefSchema }), response: JobViewSchema },
    /** Finished jobs, newest first, narrowed by any of the filters (terminal serial or address, model, result, code, date range). */
    listHistory: { request: HistoryFilterSchema, response: z.array(JobReportSchema) },
    /** The same filtered history as CSV text (header row, RFC 4180 quoting). */
    exportHistoryCsv: { request: HistoryFilterSchema, response: HistoryCsvSchema },
    /** The filtered history per hour, day or week (auto: hours when it spans two days at most, weeks beyond three months): jobs by result and the median time of each stage, for the History charts. */
    getHistoryStats: { request: HistoryStatsRequestSchema, response: HistoryStatsSchema },
    /** Per catalogued code: how many jobs ended with it and on which terminals (serials). */
    getErrorStats: { request: Empty, response: z.array(ErrorStatSchema) },
    /** One .tar.gz for support: the job's report and logs, the terminal's identity, the console version, settings without secrets. */
    exportSupportBundle: { request: z.object({ jobId: z.string().min(1).max(128) }), response: SupportBundleSchema },
    /** Switches an A/B terminal back to its other slot when that slot is good: a job (activate, reboot, confirm) with its own stages, log and report. Refused with ROLLBACK_UNAVAILABLE or TERMINAL_BUSY before anything changes. */
    rollbackDevice: { request: Address, response: JobViewSchema },
    /** Reboots a terminal and resolves with its view once it answers again. */
    rebootDevice: { request: Address, response: DeviceViewSchema },
    getJobLog: { request: z.object({ jobId: z.string().min(1) }), response: z.array(JobLogLineSchema) },
    listErrors: { request: Empty, response: z.array(ErrorEntrySchema) },
    /** Settings shared by the desktop app, the station and the CLI; tokens come back as `hasToken` only. */
    getSettings: { request: Empty, response: SettingsViewSchema },
    /** Saves a change to the settings and returns them as now in force. */
    updateSettings: { request: SettingsUpdateSchema, response: SettingsViewSchema },
    /** Identifies a terminal and asks the update sources in the settings what they offer it; installs nothing. */
    checkForUpdates: { request: Address, response: UpdateCheckSchema },
    /** Queues the full update pipeline for each terminal (sources and concurrency from the settings); each report comes as onUpdateReport. */
    startUpdate: {
      request: z.object({ addresses: z.array(z.string().min(1).max(512)).min(1).max(MAX_UPDATE_ADDRESSES) }),
      response: z.object({ queued: z.array(z.string()) }),
    },
    /**
     * Starts a failed job again, the same way: a flash with the same image bytes, an update (queued
     * like startUpdate), a rollback; also a job of an earlier console run (the history keeps how each
     * job was started). Refused with RETRY_UNAVAILABLE when the job succeeded, its code is not
     * retryable, a later job ran on its terminal or its start was never stored; RETRY_IMAGE_CHANGED
     * when the image file is gone or changed; RETRY_PLAN_DAMAGED when its stored start is unreadable.
     * A finished job view's `canRetry` says beforehand whether this is accepted.
     */
    retryJob: { request: z.object({ jobId: z.string().min(1).max(128) }), response: RetriedJobSchema },
    /** Every package the configured sources offer (library folders, HTTP catalogs; hawkBit per terminal), each with its signature judged against the trust store; a source that fails is listed with its code. */
    listPackages: { request: Empty, response: LibraryListingSchema },
    /** One package's manifest, every field, and its signers. */
    getPackageDetails: { request: PackageLocationSchema, response: PackageDetailsSchema },
    /** Verifies a package file (structure, signatures against the trust store, payload hashes) and copies it into the first library folder; a bad file is refused with its code and nothing is written. */
    importPackage: { request: ImportPackageRequestSchema, response: ImportedPackageSchema },
  },
  events: {
    onDeviceChanged: DeviceViewSchema,
    onDeviceRemoved: Address,
    onJobChanged: JobViewSchema,
    /** An update job ended (startUpdate): its report, including jobs that ended before anything was flashed. */
    onUpdateReport: UpdateReportSchema,
    onJobLog: JobLogLineSchema,
    onSettingsChanged: SettingsViewSchema,
  },
} as const;

type Methods = typeof serviceSchema.methods;
type Events = typeof serviceSchema.events;
export type MethodName = keyof Methods;
export type EventName = keyof Events;

export interface Disposable {
  dispose(): void;
}
/** Subscribe with a listener; dispose to stop. */
export type Event<T> = (listener: (event: T) => void) => Disposable;

export type MethodRequest<K extends MethodName> = z.input<Methods[K]['request']>;
export type MethodResponse<K extends MethodName> = z.output<Methods[K]['response']>;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export type ConsoleService = {
  [K in MethodName]: (request: MethodRequest<K>) => Promise<MethodResponse<K>>;
} & {
  [K in EventName]: Event<EventPayload<K>>;
};

export const METHOD_NAMES = Object.keys(serviceSchema.methods) as MethodName[];
export const EVENT_NAMES = Object.keys(serviceSchema.events) as EventName[];
