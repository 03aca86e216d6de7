import path from 'node:path';
import { parseArgs } from 'node:util';
import type { JobReport, JobView, StageRecord } from '../../shared/contract';
import { E, lookupError, ZucError } from '../../shared/errors';
import { createEngine } from '../../engine';
import type { CliContext, Command } from '../command';
import { DATA_DIR_OPTION, dataDirFrom, parsedArgs } from './command-args';

const USAGE = [
  'zuc flash ADDR IMAGE [--json] [--data-dir DIR] [--trust DIR] [--allow-unsigned] [--source FILE]',
  '  ADDR              the terminal: tcp://HOST:PORT, a serial device path, or serial:PATH[@BAUD]',
  '  IMAGE             a ZTE firmware image file (.bin/.img) or a signed update package (.zup)',
  '  --trust DIR       trust store folder packages are verified against (default: trust/ in the data folder)',
  '  --allow-unsigned  development only: flash unsigned and untrusted packages',
  '  --source FILE     for a delta package: the image the terminal runs now (checked against the delta and the terminal)',
  '  exit status: 0 success; 1 the job failed or was rolled back; 2 bad input (image, address, arguments)',
].join('\n');

/** Codes that mean the job was refused for what the user typed, before anything reached a terminal. */
const BAD_INPUT_CODES = new Set<string>([E.TERMINAL_UNREACHABLE.code, E.BAD_ADDRESS.code]);
/** Package refusals (ZUC-50xx) all happen in verify, before a byte is written: the package was the bad input. */
const PACKAGE_CODE_PREFIX = 'ZUC-50';
/** Job log lines that must reach the technician's eyes, not only the log. */
const DEVELOPMENT_WARNING = /^DEVELOPMENT MODE/;

export function exitStatusOf(report: JobReport): number {
  if (report.result === 'success') return 0;
  const refusedInput = BAD_INPUT_CODES.has(report.code) || report.code.startsWith(PACKAGE_CODE_PREFIX);
  return report.code.startsWith('ZUC-1') || (refusedInput && report.bytesSent === 0) ? 2 : 1;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

function formatMs(ms: number | null): string {
  if (ms === null) return '-';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function progressLine(view: JobView): string {
  const s = view.state;
  if (s.kind !== 'installing') return `${s.kind}…`;
  if (!s.progress) return `installing: ${s.step}…`;
  const { bytesDone, bytesTotal, bytesPerSecond, etaMs } = s.progress;
  const percent = bytesTotal ? Math.floor((bytesDone * 100) / bytesTotal) : 0;
  return `installing: ${s.step} ${String(percent).padStart(3)}%  ${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}  ${formatBytes(bytesPerSecond)}/s  ETA ${etaMs === null ? '?' : formatMs(etaMs)}`;
}

function stageSummary(stages: StageRecord[]): string {
  return stages
    .filter((s) => s.status !== 'skipped')
    .map((s) => {
      const steps = (s.steps ?? []).filter((st) => st.status !== 'skipped').map((st) => `${st.name} ${formatMs(st.ms)}`);
      return `${s.name} ${formatMs(s.ms)}${s.status === 'failed' ? ' (failed)' : ''}${steps.length ? ` [${steps.join(', ')}]` : ''}`;
    })
    .join(', ');
}

function summary(report: JobReport): string {
  const lines = [`${report.result}: ${report.address}${report.model ? ` ${report.model}` : ''}${report.serial ? ` serial ${report.serial}` : ''}`];
  // Without an identity (the terminal never answered) the slot in the report is only the schema's default.
  if (report.serial) lines.push(`  ${report.fromVersion} -> ${report.toVersion || '?'}; the terminal runs slot ${report.activeSlot}`);
  lines.push(`  code ${report.code}: ${lookupError(report.code)?.title ?? ''}`);
  if (report.error) {
    if (report.error.detail) lines.push(`  detail: ${report.error.detail}`);
    lines.push(`  cause:  ${report.error.cause}`, `  remedy: ${report.error.remedy}`);
  }
  lines.push(`  stages: ${stageSummary(report.stages)}`, `  ${formatBytes(report.bytesSent)} sent in ${formatMs(report.durationMs)}; job ${report.jobId}`, '');
  return lines.join('\n');
}

/** Follows the job's events on stderr: a live line on a terminal, one line per state change otherwise. */
function followJob(ctx: CliContext, json: boolean) {
  let lastLine = '';
  return {
    show(view: JobView): void {
      // `done` is followed by the summary; repeating it as a state line says nothing.
      if ((json && !ctx.stderr.isTTY) || view.state.kind === 'done') return;
      const line = progressLine(view);
      if (line === lastLine) return;
      if (ctx.stderr.isTTY) ctx.stderr.write(`\r\x1b[2K${line}`);
      else if (view.state.kind !== 'installing' || !view.state.progress) ctx.stderr.write(`${line}\n`);
      lastLine = line;
    },
    end(): void {
      if (ctx.stderr.isTTY && lastLine) ctx.stderr.write('\r\x1b[2K');
    },
  };
}

export const flashCommand: Command = {
  name: 'flash',
  summary: 'write a firmware image to a terminal: verify, install to the other slot, reboot, confirm',
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parsedArgs(
      () => parseArgs({ args, options: { json: { type: 'boolean' }, trust: { type: 'string' }, 'allow-unsigned': { type: 'boolean' }, source: { type: 'string' }, ...DATA_DIR_OPTION }, allowPositionals: true, strict: true }),
      USAGE,
    );
    if (positionals.length !== 2) throw new ZucError(E.BAD_ARGUMENTS, `expected ADDR and IMAGE\nusage: ${USAGE}`);
    const [address, image] = positionals as [string, string];
    const allowUnsigned = values['allow-unsigned'] === true;
    if (allowUnsigned) ctx.stderr.write('WARNING: --allow-unsigned is for development only: a package that is unsigned or signed by an untrusted key will be flashed\n');
    const engine = createEngine({
      dataDir: dataDirFrom(values['data-dir'], ctx),
      allowUnsignedPackages: allowUnsigned,
      ...(typeof values.trust === 'string' ? { trustStoreDir: path.resolve(ctx.cwd, values.trust) } : {}),
      ...(typeof values.source === 'string' ? { deltaSourceFiles: [path.resolve(ctx.cwd, values.source)] } : {}),
    });
    const progress = followJob(ctx, values.json === true);
    const warnings = engine.onJobLog((line) => {
      if (line.level === 'warn' && DEVELOPMENT_WARNING.test(line.message)) ctx.stderr.write(`${ctx.stderr.isTTY ? '\r\x1b[2K' : ''}WARNING: ${line.message}\n`);
    });
    let resolveReport: (report: JobReport) => void = () => undefined;
    const finished = new Promise<JobReport>((resolve) => (resolveReport = resolve));
    // Subscribed before the job starts: its first states are emitted before startFlash returns.
    const subscription = engine.onJobChanged((view) => {
      if (view.address !== address) return;
      progress.show(view);
      if (view.state.kind === 'done') resolveReport(view.state.report);
    });
    try {
      await engine.addDevice({ address });
      await engine.startFlash({ address, image: { kind: 'path', path: path.resolve(ctx.cwd, image) } });
      let report = await Promise.race([finished, ctx.interrupted.then(() => null)]);
      if (!report) {
        progress.end();
        ctx.stderr.write('stopping: before activation the job stops at once and the terminal keeps its old firmware (Ctrl-C again quits at once)\n');
        await engine.close();
        // A job past activation does not stop; its terminal falls back by itself unless the new slot is confirmed.
        report = await Promise.race([finished, Promise.resolve(null)]);
        if (!report) {
          ctx.stderr.write('the job was past activation and goes on without the console; check the terminal with zuc devices\n');
          return 1;
        }
      }
      progress.end();
      ctx.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : summary(report));
      return exitStatusOf(report);
    } finally {
      progress.end();
      subscription.dispose();
      warnings.dispose();
      await engine.close();
    }
  },
};
