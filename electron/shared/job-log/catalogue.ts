import { z } from 'zod';
import { HAWKBIT_NOTE_DETAILS, HAWKBIT_TEXTS, type HawkbitNoteId } from './hawkbit-texts';
import type { LogTextEntry } from './log-entry';
import { PACKAGE_TEXTS, type DevModeWarningId } from './package-texts';
import { PIPELINE_TEXTS } from './pipeline-texts';
import { UPDATE_TEXTS } from './update-texts';

/**
 * Every line the engine itself writes to a job log, by id. The engine
 * builds a line's English `message` from here and sends the id and
 * arguments with it, so a console in another language can say the same
 * thing in its own words. Lines the engine only relays (the terminal's
 * own log, a hawkBit server's answers) carry no id.
 */
export const JOB_LOG_TEXTS = { ...PIPELINE_TEXTS, ...PACKAGE_TEXTS, ...UPDATE_TEXTS, ...HAWKBIT_TEXTS };

type Catalogue = typeof JOB_LOG_TEXTS;
export type LogTextId = keyof Catalogue;
export type LogTextArgs<K extends LogTextId> = z.infer<Catalogue[K]['args']>;

/** A structured log line: which catalogued text, with what in it. */
export type JobLogText = { [K in LogTextId]: { id: K; args: LogTextArgs<K> } }[LogTextId];

/** A development-mode warning of the package verifier: `zuc verify` prints its English, a job log shows it in the console's language. */
export type DevModeWarning = Extract<JobLogText, { id: DevModeWarningId }>;
/** A hawkBit action step's note: its English alone goes to the server in the feedback details. */
export type HawkbitNote = Extract<JobLogText, { id: HawkbitNoteId }>;

export const LOG_TEXT_IDS = Object.keys(JOB_LOG_TEXTS) as LogTextId[];

const entries = JOB_LOG_TEXTS as Record<LogTextId, LogTextEntry>;

export const JobLogTextSchema = z.discriminatedUnion(
  'id',
  LOG_TEXT_IDS.map((id) => z.object({ id: z.literal(id), args: entries[id].args })) as unknown as [z.ZodObject, z.ZodObject],
) as unknown as z.ZodType<JobLogText>;

export function logText<K extends LogTextId>(id: K, args: LogTextArgs<K>): Extract<JobLogText, { id: K }> {
  return { id, args } as Extract<JobLogText, { id: K }>;
}

/** The English words of a structured line: what its `message` says. */
export function englishLogText(text: JobLogText): string {
  return entries[text.id].en(text.args);
}

/** A hawkBit note's English without the controller and action the job log names. */
export function hawkbitNoteDetail(note: HawkbitNote): string {
  return (HAWKBIT_NOTE_DETAILS[note.id] as (args: HawkbitNote['args']) => string)(note.args);
}
