import type { JobLogLine, JobReport, SettingsView, SupportBundle, TerminalInfo } from '../../shared/contract';
import { tarGz } from './tar-gz';

/** Prefix the flash job gives the terminal's own log lines when it copies them into the job log. */
const DEVICE_LINE_PREFIX = 'device: ';
const REDACTED = '[redacted]';

export interface SupportBundleInput {
  report: JobReport;
  jobLog: readonly JobLogLine[];
  /** The terminal's last known identity; null when the console never identified it. */
  terminal: TerminalInfo | null;
  /** The settings as a user interface sees them: tokens are already reduced to `hasToken`. */
  settings: SettingsView;
  consoleVersion: string;
  /** Secrets the console holds (hawkBit tokens): any text containing one has it replaced before archiving. */
  secrets: readonly string[];
  now: Date;
}

/**
 * Everything a support engineer needs to answer "why did this update
 * fail?", in one .tar.gz: the job's report and log, the terminal's own log
 * lines, its identity, the console version and the settings without secrets.
 */
export function buildSupportBundle(input: SupportBundleInput): SupportBundle {
  const { report } = input;
  const files: [string, string][] = [
    ['job.json', json(report)],
    ['job-log.txt', input.jobLog.map((l) => `${l.at} ${l.level.toUpperCase()} ${l.message}`).join('\n')],
    ['device-log.txt', input.jobLog.filter((l) => l.message.startsWith(DEVICE_LINE_PREFIX)).map((l) => l.message.slice(DEVICE_LINE_PREFIX.length)).join('\n')],
    ['terminal.json', json(input.terminal ?? { address: report.address, serial: report.serial, model: report.model, identified: false })],
    ['console.json', json({ version: input.consoleVersion, platform: process.platform, arch: process.arch, node: process.version, exportedAt: input.now.toISOString() })],
    ['settings.json', json(input.settings)],
  ];
  const mtimeS = Math.floor(input.now.getTime() / 1000);
  const secrets = input.secrets.filter((s) => s.length > 0);
  const data = tarGz(files.map(([name, text]) => ({ name, data: new TextEncoder().encode(redact(ensureNewline(text), secrets)), mtimeS })));
  return { fileName: `zuc-support-${safeName(report.serial || 'terminal')}-${safeName(report.jobId.slice(0, 8))}-${stamp(input.now)}.tar.gz`, data };
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function ensureNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/** A secret may have reached a log line (a URL pasted with its token); it never leaves the machine. */
function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
