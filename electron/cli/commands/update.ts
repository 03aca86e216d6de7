import path from 'node:path';
import { parseArgs } from 'node:util';
import { E, lookupError, ZucError } from '../../shared/errors';
import { createEngine } from '../../engine';
import { PackageCache } from '../../engine/download';
import { DEFAULT_CONCURRENCY } from '../../engine/scheduler';
import { FirmwareLibrary, HttpCatalog } from '../../engine/sources';
import { HawkbitDeployments, settingsUpdateSources, UpdateService, type ConfiguredSource, type UpdateReport } from '../../engine/update';
import type { CliContext, Command } from '../command';
import { DATA_DIR_OPTION, dataDirFrom, parsedArgs } from './command-args';

const USAGE = [
  'zuc update [--library DIR] [--catalog URL] [--hawkbit URL --tenant T --token TOKEN] [--concurrency N] [--json] [--trust DIR] [--allow-unsigned] [--data-dir DIR] ADDR…',
  '  ADDR…             the terminals: tcp://HOST:PORT, a serial device path, or serial:PATH[@BAUD]',
  '  --library DIR     a folder of signed packages (several allowed; asked first). Without any source option: the sources in the settings',
  '  --catalog URL     an HTTP catalog index (several allowed; asked after the libraries)',
  '  --hawkbit URL     an Eclipse hawkBit server: one poll per terminal as gateway (with --tenant and --token, a GatewayToken); asked last',
  `  --concurrency N   terminals updated at once (default: from the settings, else ${DEFAULT_CONCURRENCY})`,
  '  --json            one JSON report per terminal (an array), as zuc flash --json prints plus package, delta and bytesSaved',
  '  --trust DIR       trust store folder packages are verified against (default: trust/ in the data folder)',
  '  --allow-unsigned  development only: offer and install unsigned and untrusted packages (revoked or damaged ones stay refused)',
  '  exit status: 0 every terminal updated; 1 at least one failed or was rolled back; 2 bad arguments',
].join('\n');

const OPTIONS = {
  library: { type: 'string', multiple: true },
  catalog: { type: 'string', multiple: true },
  hawkbit: { type: 'string' },
  tenant: { type: 'string' },
  token: { type: 'string' },
  concurrency: { type: 'string' },
  json: { type: 'boolean' },
  trust: { type: 'string' },
  'allow-unsigned': { type: 'boolean' },
  ...DATA_DIR_OPTION,
} as const;

function concurrencyOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,4}$/.test(text)) throw new ZucError(E.BAD_ARGUMENTS, `--concurrency ${text}: expected a whole number\nusage: ${USAGE}`);
  return Number(text);
}

function catalogUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ZucError(E.BAD_ARGUMENTS, `--catalog ${text}: not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ZucError(E.BAD_ARGUMENTS, `--catalog ${text}: only http and https catalogs`);
  return url.href;
}

function summary(report: UpdateReport): string {
  const route = report.package ? `${report.package} (${report.delta ? `delta, ${report.bytesSaved} bytes saved` : 'full'})` : 'no package';
  const lines = [`${report.result}: ${report.address}${report.model ? ` ${report.model}` : ''}${report.serial ? ` serial ${report.serial}` : ''}`];
  if (report.serial) lines.push(`  ${report.fromVersion} -> ${report.toVersion || '?'} with ${route}; the terminal runs slot ${report.activeSlot}`);
  lines.push(`  code ${report.code}: ${lookupError(report.code)?.title ?? ''}`);
  for (const s of report.skipped ?? []) lines.push(`  skipped ${s.version} (${s.packageId}): ${s.signature}, ${s.error.code}`);
  if (report.error?.detail) lines.push(`  detail: ${report.error.detail}`);
  if (report.error) lines.push(`  remedy: ${report.error.remedy}`);
  const stages = report.stages.filter((s) => s.status !== 'skipped' || s.name === 'download').map((s) => `${s.name} ${s.status}${s.ms === null ? '' : ` ${Math.round(s.ms)} ms`}`);
  lines.push(`  stages: ${stages.join(', ')}`, `  ${report.bytesSent} bytes sent in ${Math.round(report.durationMs)} ms; job ${report.jobId}`, '');
  return lines.join('\n');
}

export const updateCommand: Command = {
  name: 'update',
  summary: 'update terminals from the library, a catalog or hawkBit: find, download, verify, install, report',
  usage: USAGE,
  async run(args, ctx: CliContext) {
    const { values, positionals } = parsedArgs(() => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }), USAGE);
    if (positionals.length === 0) throw new ZucError(E.BAD_ARGUMENTS, `expected at least one terminal address\nusage: ${USAGE}`);
    // One job per terminal: the same address typed twice would only find its terminal busy.
    const addresses = [...new Set(positionals)];
    const concurrency = concurrencyOf(values.concurrency);
    const libraries = (values.library ?? []).map((dir) => path.resolve(ctx.cwd, dir));
    const catalogs = (values.catalog ?? []).map(catalogUrl);
    const hawkbit = values.hawkbit;
    if (hawkbit !== undefined && (!values.tenant || !values.token)) throw new ZucError(E.BAD_ARGUMENTS, `--hawkbit needs --tenant and --token\nusage: ${USAGE}`);
    const dataDir = dataDirFrom(values['data-dir'], ctx);
    // This command's own service delivers the reports (one round before exit): the engine starts no second outbox.
    const allowUnsignedPackages = values['allow-unsigned'] === true;
    if (allowUnsignedPackages) ctx.stderr.write('WARNING: --allow-unsigned is for development only: packages that are unsigned or signed by an untrusted key will be installed\n');
    const engine = createEngine({ dataDir, reportInBackground: false, allowUnsignedPackages, ...(typeof values.trust === 'string' ? { trustStoreDir: path.resolve(ctx.cwd, values.trust) } : {}) });
    const cache = PackageCache.inDataDir(dataDir);
    // Priority as in the settings: libraries, then catalogs, then hawkBit; a terminal is served by the first that offers it an update.
    const given: ConfiguredSource[] = [
      ...libraries.map((dir) => new FirmwareLibrary(dir, cache)),
      ...catalogs.map((url) => new HttpCatalog(url, cache)),
      ...(hawkbit ? [hawkbitSource(hawkbit, values.tenant!, values.token!, cache, engine)] : []),
    ];
    // Without sources on the command line, those of the settings (the same as the desktop app's and the station's).
    const sources = given.length > 0 ? given : settingsUpdateSources(() => engine.currentSettings(), cache)();
    if (sources.length === 0) {
      await engine.close();
      throw new ZucError(E.BAD_ARGUMENTS, `no update source: give --library DIR, --catalog URL or --hawkbit URL, or configure one in the settings\nusage: ${USAGE}`);
    }
    const service = new UpdateService({
      engine,
      dataDir,
      sources,
      cache,
      // As the engine does: reports reach the backend now, not when a later console starts.
      reportUrl: () => engine.currentSettings().reportUrl ?? null,
      // Delivered in one round before exit instead: a background send would be cut short by it.
      deliverInBackground: false,
      concurrency: concurrency ?? engine.currentSettings().concurrency,
      // On a terminal only: a fleet's progress lines would drown a log file.
      onDownloadProgress: (address, p) => {
        if (ctx.stderr.isTTY && p.totalBytes > 0) ctx.stderr.write(`\r\x1b[2K${address}: downloading ${Math.floor((p.receivedBytes * 100) / p.totalBytes)}% of ${p.totalBytes} bytes`);
      },
      onReport: (report) => {
        if (ctx.stderr.isTTY) ctx.stderr.write('\r\x1b[2K');
        if (!values.json || ctx.stderr.isTTY) ctx.stderr.write(`${report.address}: ${report.result} ${report.code}\n`);
      },
    });
    try {
      const reports = await Promise.race([service.updateAll(addresses), ctx.interrupted.then(() => null)]);
      if (!reports) {
        ctx.stderr.write('stopping: jobs before activation stop at once and their terminals keep the old firmware\n');
        return 1;
      }
      // One delivery round before exit; what the backend did not take stays queued for the next console.
      await service.outbox.deliverDue().catch(() => 0);
      ctx.stdout.write(values.json ? JSON.stringify(reports, null, 2) + '\n' : reports.map(summary).join('\n'));
      return reports.every((r) => r.result === 'success') ? 0 : 1;
    } finally {
      await service.close();
      await engine.close();
    }
  },
};


/** The hawkBit server of the command line; a malformed address or tenant is bad input (exit 2), not a failed update. */
function hawkbitSource(url: string, tenant: string, token: string, cache: PackageCache, engine: { close(): Promise<void> }): HawkbitDeployments {
  try {
    return new HawkbitDeployments({ baseUrl: url, tenant, auth: { kind: 'gateway', token } }, cache);
  } catch (err) {
    void engine.close();
    const error = ZucError.from(err);
    throw new ZucError(E.BAD_ARGUMENTS, `--hawkbit ${url} --tenant ${tenant}: ${error.message}\nusage: ${USAGE}`);
  }
}
