import { z } from 'zod';
import { JobResultSchema } from '../contract/job';
import { logEntry } from './log-entry';
import { englishErrorWords, LogErrorSchema } from './log-args';

const ERROR = { code: 'ZUC-6001', detail: 'artifact mf286d.zup: SHA-256 does not match the deployment' };

/**
 * What a hawkBit action's own steps say: the closing feedback's details
 * carry these words alone, the job log prefixes them with the controller
 * and action (`hawkbitNoteDetail`).
 */
export const HAWKBIT_NOTE_DETAILS = {
  'hawkbit-no-artifact': (a: { code: string }) => `${a.code} the deployment lists no artifact`,
  'hawkbit-artifact-downloaded': (a: { filename: string; bytes: number }) => `downloaded ${a.filename} (${a.bytes} bytes, SHA-256 verified)`,
  'hawkbit-action-failed': (a: { error: z.infer<typeof LogErrorSchema> }) => `${a.error.code} ${englishErrorWords(a.error)}`,
  'hawkbit-job-ended': (a: { jobId: string; address: string; result: z.infer<typeof JobResultSchema>; code: string }) => `job ${a.jobId} on ${a.address}: ${a.result} ${a.code}`,
};
export type HawkbitNoteId = keyof typeof HAWKBIT_NOTE_DETAILS;

const action = { controllerId: z.string(), actionId: z.string() };
const prefix = (a: { controllerId: string; actionId: string }) => `hawkbit ${a.controllerId} action ${a.actionId}: `;
const EXAMPLE = { controllerId: 'ZTE2026SIM0001', actionId: '42' };

/** Lines of a hawkBit deployment polled as an update source, before and around its flash job. */
export const HAWKBIT_TEXTS = {
  'hawkbit-deployed': logEntry(z.object({ filename: z.string(), bytes: z.number() }), (a) => `hawkBit deployed ${a.filename} (${a.bytes} bytes, SHA-256 verified)`, {
    filename: 'mf286d-1.3.0.zup',
    bytes: 1049600,
  }),
  'hawkbit-nothing-to-install': logEntry(
    z.object({ source: z.string(), actionId: z.string().nullable(), outcome: z.enum(['idle', 'downloaded-only', 'deferred', 'already-closed', 'cancel-accepted']) }),
    (a) => `${a.source}: ${a.actionId === null ? 'no deployment' : `action ${a.actionId}: ${a.outcome}`}`,
    { source: 'hawkbit:https://hawkbit.example.com/DEFAULT', actionId: '42', outcome: 'deferred' },
  ),
  'hawkbit-cancelled': logEntry(z.object({ controllerId: z.string(), stopId: z.string() }), (a) => `hawkbit ${a.controllerId}: action ${a.stopId} cancelled by the server`, {
    controllerId: 'ZTE2026SIM0001',
    stopId: '41',
  }),
  'hawkbit-download-deferred': logEntry(z.object(action), (a) => `${prefix(a)}the server asks not to download yet`, EXAMPLE),
  'hawkbit-install-waits': logEntry(
    z.object({ ...action, update: z.enum(['skip', 'attempt', 'forced']), maintenanceWindow: z.enum(['available', 'unavailable']).nullable() }),
    (a) => `${prefix(a)}downloaded; install waits for the server (update ${a.update}, maintenance window ${a.maintenanceWindow ?? 'none'})`,
    { ...EXAMPLE, update: 'attempt', maintenanceWindow: 'unavailable' },
  ),
  'hawkbit-install-not-started': logEntry(
    z.object({ ...action, error: LogErrorSchema }),
    (a) => `${prefix(a)}install could not start, next poll tries again: ${a.error.code} ${englishErrorWords(a.error)}`,
    { ...EXAMPLE, error: { code: 'ZUC-4006', detail: 'ZTE2026SIM0001 at tcp://127.0.0.1:7001 is busy; the deployment waits until it is free' } },
  ),
  'hawkbit-no-artifact': logEntry(z.object({ ...action, code: z.string() }), (a) => prefix(a) + HAWKBIT_NOTE_DETAILS['hawkbit-no-artifact'](a), { ...EXAMPLE, code: 'ZUC-7007' }),
  'hawkbit-artifact-downloaded': logEntry(
    z.object({ ...action, filename: z.string(), bytes: z.number() }),
    (a) => prefix(a) + HAWKBIT_NOTE_DETAILS['hawkbit-artifact-downloaded'](a),
    { ...EXAMPLE, filename: 'mf286d-1.3.0.zup', bytes: 1049600 },
  ),
  'hawkbit-action-failed': logEntry(z.object({ ...action, error: LogErrorSchema }), (a) => prefix(a) + HAWKBIT_NOTE_DETAILS['hawkbit-action-failed'](a), { ...EXAMPLE, error: ERROR }),
  'hawkbit-job-ended': logEntry(
    z.object({ ...action, jobId: z.string(), address: z.string(), result: JobResultSchema, code: z.string() }),
    (a) => prefix(a) + HAWKBIT_NOTE_DETAILS['hawkbit-job-ended'](a),
    { ...EXAMPLE, jobId: '7c1e9a52', address: 'tcp://127.0.0.1:7001', result: 'success', code: 'ZUC-0000' },
  ),
};
