import { z } from 'zod';
import { SignatureStatusSchema } from '../contract/library';
import { logEntry } from './log-entry';
import { englishErrorWords, LogErrorSchema, LogOfferSchema } from './log-args';

const SHA = '4b7e1f0a9c2d6e3b8a5f7c0d1e9b2a4c6f8e0d3b5a7c9e1f2d4b6a8c0e3f5a7b';
const OFFER = { packageId: 'mf286d-1.3.0', type: 'full', version: '1.3.0', size: 1049600, source: 'library:/srv/fw' } as const;

/** Lines of an update job: what it asked the sources, the route it chose, the download. */
export const UPDATE_TEXTS = {
  'update-terminal-identified': logEntry(
    z.object({ model: z.string(), hwRevision: z.string(), serial: z.string(), version: z.string(), agentVersion: z.number() }),
    (a) => `${a.model} rev ${a.hwRevision} serial ${a.serial} runs ${a.version} (agent protocol ${a.agentVersion})`,
    { model: 'MF286D', hwRevision: 'V1.0', serial: 'ZTE2026SIM0001', version: '1.2.0', agentVersion: 2 },
  ),
  'source-failed': logEntry(z.object({ source: z.string(), error: LogErrorSchema }), (a) => `source ${a.source} failed: ${a.error.code} ${englishErrorWords(a.error)}`, {
    source: 'catalog:https://fw.example.com',
    error: { code: 'ZUC-6011', detail: 'connect ECONNREFUSED 10.0.0.5:443' },
  }),
  offers: logEntry(
    z.object({ offers: z.array(LogOfferSchema) }),
    (a) => `${a.offers.length} offer(s): ${a.offers.map((o) => `${o.packageId} (${o.type} ${o.version}, ${o.size} bytes, ${o.source})`).join('; ') || 'none'}`,
    { offers: [OFFER] },
  ),
  'offer-skipped': logEntry(
    z.object({ offer: LogOfferSchema, signature: SignatureStatusSchema, error: LogErrorSchema }),
    (a) => `skipped ${a.offer.packageId} (${a.offer.type} ${a.offer.version}, ${a.offer.source}): ${a.signature}, ${a.error.code} ${englishErrorWords(a.error)}`,
    { offer: OFFER, signature: 'untrusted', error: { code: 'ZUC-5002', detail: 'key 7f3a9c01 is not in the trust store' } },
  ),
  'route-full': logEntry(z.object({ packageId: z.string(), version: z.string() }), (a) => `route: full package ${a.packageId} (${a.version})`, {
    packageId: 'mf286d-1.3.0',
    version: '1.3.0',
  }),
  'route-delta-on-device': logEntry(
    z.object({ packageId: z.string(), base: z.string(), bytesSaved: z.number() }),
    (a) => `route: delta ${a.packageId} from ${a.base}, applied by the terminal; saves ${a.bytesSaved} bytes of download`,
    { packageId: 'mf286d-1.2.0-1.3.0', base: '1.2.0', bytesSaved: 1008640 },
  ),
  'route-delta-with-base': logEntry(
    z.object({ packageId: z.string(), base: z.string(), bytesSaved: z.number(), basePackageId: z.string() }),
    (a) => `route: delta ${a.packageId} from ${a.base}, saves ${a.bytesSaved} bytes of download; base image from ${a.basePackageId}`,
    { packageId: 'mf286d-1.2.0-1.3.0', base: '1.2.0', bytesSaved: 1008640, basePackageId: 'mf286d-1.2.0' },
  ),
  'route-full-no-base': logEntry(
    z.object({ packageId: z.string() }),
    (a) => `route: full package ${a.packageId}: a delta is offered, but the terminal cannot apply deltas and its current image is not on this console`,
    { packageId: 'mf286d-1.3.0' },
  ),
  'package-cached': logEntry(z.object({ packageId: z.string(), sha256: z.string() }), (a) => `package ${a.packageId} already in the cache (sha256 ${a.sha256})`, {
    packageId: 'mf286d-1.3.0',
    sha256: SHA,
  }),
  'package-downloaded': logEntry(
    z.object({ packageId: z.string(), bytes: z.number(), source: z.string(), sha256: z.string() }),
    (a) => `downloaded ${a.packageId}: ${a.bytes} bytes from ${a.source}, sha256 ${a.sha256}`,
    { packageId: 'mf286d-1.3.0', bytes: 1049600, source: 'catalog:https://fw.example.com', sha256: SHA },
  ),
  'delta-base-extracted': logEntry(z.object({ packageId: z.string() }), (a) => `delta base image extracted from ${a.packageId}`, { packageId: 'mf286d-1.2.0' }),
  'delta-failed-full-instead': logEntry(
    z.object({ code: z.string(), packageId: z.string() }),
    (a) => `the delta failed (${a.code}); installing the full package ${a.packageId} instead`,
    { code: 'ZUC-5101', packageId: 'mf286d-1.3.0' },
  ),
};
