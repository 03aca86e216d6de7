import path from 'node:path';
import { parseArgs } from 'node:util';
import { E, lookupError, ZucError } from '../../shared/errors';
import { createEngine } from '../../engine';
import { PackageCache } from '../../engine/download';
import { JobScheduler, DEFAULT_CONCURRENCY } from '../../engine/scheduler';
import { FirmwareLibrary, HttpCatalog, type UpdateSource } from '../../engine/sources';
import { settingsSources, UpdateService, updateViaHawkbit, type UpdateReport } from '../../engine/update';
import type { CliContext, Command } from '../command';
import { DATA_DIR_OPTION, dataDirFrom, parsedArgs } from './command-args';

const USAGE = [
  'zuc update [--library DIR] [--catalog URL] [--hawkbit URL --tenant T --token TOKEN] [--concurrency N] [--json] [--trust DIR] [--data-dir DIR] ADDR…',
  '  ADDR…             the terminals: tcp://HOST:PORT, a serial device path, or serial:PATH[@BAUD]',
  '  --library DIR     a folder of signed packages (several allowed; asked first). Without any source option: the sources in the settings',
  '  --catalog URL     an HTTP catalog index (several allowed; asked after the libraries)',
  '  --hawkbit URL     an Eclipse hawkBit server: one poll per terminal as gateway (with --tenant and --token, a GatewayToken)',
  `  --concurrency N   terminals updated at once (default: from the settings, else ${DEFAULT_CONCURRENCY})`,
  '  --json            one JSON report per terminal (an array), as zuc flash --json prints plus package, delta and bytesSaved',
  '  --trust DIR       trust store folder packages are verified against (default: trust/ in the data folder)',
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
  if (report.error?.detail) lines.push(`  detail: ${report.error.detail}`);
  if (report.error) lines.push(`  remedy: ${report.error.remedy}`);
  const stages = report.stages.filter((s) => s.status !== 'skipped' || s.name === 'download').map((s) => `${s.name} ${s.status}${s.ms === null ? '' : ` ${Math.round(s.ms)} ms`}`);
  lines.push(`  stages: ${stages.join(', ')}`, `  ${report.bytesSent} bytes sent in ${Math.round(report.durationMs)} ms; job ${report.jobId}`, '');
  return lines.join('\n');
}

/** A hawkBit outcome in the same report shape as the other sources'. */
function hawkbitReport(address: string, result: Awaited<ReturnType<typeof updateViaHawkbit>> | ZucError): UpdateReport {
  if (!(result instanceof ZucError) && result.report) return { ...result.report, package: result.artifact, source: 'hawkbit', delta: false, bytesSaved: 0 };
  const error = result instanceof ZucError ? result : (result.error ?? new ZucError(E.INTERNAL, 'hawkBit outcome without a report'));
  const now = new Date().toISOString();
  return {
    jobId: '',
    address,
    serial: '',
    model: '',
    imageName: '',
    result: 'failed',
    code: error.code,
    error: error.toJSON(),
    stages: [],
    fromVersion: '',
    toVersion: '',
    activeSlot: 'a',
    bytesSent: 0,
    durationMs: 0,
    startedAt: now,
    finishedAt: now,
    package: null,
    source: 'hawkbit',
    delta: false,
    bytesSaved: 0,
  };
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
    const engine = createEngine({ dataDir, ...(typeof values.trust === 'string' ? { trustStoreDir: path.resolve(ctx.cwd, values.trust) } : {}) });
    const cache = PackageCache.inDataDir(dataDir);
    const given: UpdateSource[] = [...libraries.map((dir) => new FirmwareLibrary(dir, cache)), ...catalogs.map((url) => new HttpCatalog(url, cache))];
    // Without sources on the command line, those of the settings (the same as the desktop app's and the station's).
    const sources = given.length || hawkbit ? given : settingsSources(() => engine.currentSettings(), cache)();
    if (!hawkbit && sources.length === 0) {
      await engine.close();
      throw new ZucError(E.BAD_ARGUMENTS, `no update source: give --library DIR, --catalog URL or --hawkbit URL, or configure one in the settings\nusage: ${USAGE}`);
    }
    const service = new UpdateService({
      engine,
      dataDir,
      sources,
      cache,
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
      const work = hawkbit ? runHawkbit(addresses, { engine, service, cache, concurrency: service.concurrency, url: hawkbit, tenant: values.tenant!, token: values.token! }) : service.updateAll(addresses);
      const reports = await Promise.race([work, ctx.interrupted.then(() => null)]);
      if (!reports) {
        ctx.stderr.write('stopping: jobs before activation stop at once and their terminals keep the old firmware\n');
        return 1;
      }
      ctx.stdout.write(values.json ? JSON.stringify(reports, null, 2) + '\n' : reports.map(summary).join('\n'));
      return reports.every((r) => r.result === 'success') ? 0 : 1;
    } finally {
      service.close();
      await engine.close();
    }
  },
};

async function runHawkbit(
  addresses: readonly string[],
  o: { engine: ReturnType<typeof createEngine>; service: UpdateService; cache: PackageCache; concurrency: number; url: string; tenant: string; token: string },
): Promise<UpdateReport[]> {
  const scheduler = new JobScheduler(o.concurrency);
  const server = { baseUrl: o.url, tenant: o.tenant, auth: { kind: 'gateway' as const, token: o.token } };
  const reports = await Promise.all(
    addresses.map((address) =>
      scheduler.submit(() => updateViaHawkbit(address, { engine: o.engine, server, outbox: o.service.outbox, cache: o.cache }).then((r) => hawkbitReport(address, r), (err: unknown) => hawkbitReport(address, ZucError.from(err)))),
    ),
  );
  // One delivery round now; what the server did not take stays in the outbox for the next console run.
  await o.service.outbox.deliverDue().catch(() => 0);
  return reports;
}
