export {
  englishLogText,
  hawkbitNoteDetail,
  JOB_LOG_TEXTS,
  JobLogTextSchema,
  LOG_TEXT_IDS,
  logText,
  type DevModeWarning,
  type HawkbitNote,
  type JobLogText,
  type LogTextArgs,
  type LogTextId,
} from './catalogue';
export { englishErrorWords, logError, ROUTE_ENGLISH, type LogError, type LogNode, type LogOffer, type LogRoute, type LogState, type LogTarget } from './log-args';
export type { LogTextEntry } from './log-entry';
export { englishEntry, jobLogLine, type LogEntry } from './log-line';
