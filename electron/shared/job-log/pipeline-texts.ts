import { z } from 'zod';
import { InstallStepSchema, JobResultSchema } from '../contract/job';
import { logEntry } from './log-entry';
import {
  englishErrorWords,
  englishState,
  LogErrorSchema,
  LogNodeSchema,
  LogRouteSchema,
  LogSlotSchema,
  LogSlotStateSchema,
  LogStateKindSchema,
  LogStateSchema,
  LogTargetSchema,
  ROUTE_ENGLISH,
} from './log-args';

const SHA = '9f2c4e0b7d1a5c3e8f6b2d4a0c9e7f1b3d5a8c6e4f2b0d9a7c5e3f1b8d6a4c2e';
const ERROR = { code: 'ZUC-4002', detail: 'slot b did not boot within 90000 ms' };

/** Lines of the flash pipeline, the rollback job and the terminal session. */
export const PIPELINE_TEXTS = {
  'state-changed': logEntry(z.object({ from: LogStateSchema, to: LogStateSchema }), (a) => `${englishState(a.from)} -> ${englishState(a.to)}`, {
    from: { kind: 'installing', step: 'write' },
    to: { kind: 'rolling-back', code: 'ZUC-4002' },
  }),
  'rollback-state': logEntry(z.object({ kind: LogStateKindSchema, step: InstallStepSchema.nullable() }), (a) => `-> ${a.step ? `installing (${a.step})` : a.kind}`, {
    kind: 'installing',
    step: 'reboot',
  }),
  error: logEntry(z.object({ error: LogErrorSchema }), (a) => `${a.error.code} ${englishErrorWords(a.error)}`, { error: ERROR }),
  'node-failed': logEntry(z.object({ node: LogNodeSchema, error: LogErrorSchema }), (a) => `${a.node} failed: ${a.error.code} ${englishErrorWords(a.error)}`, {
    node: 'reboot',
    error: ERROR,
  }),
  'job-ended': logEntry(
    z.object({ result: JobResultSchema, code: z.string(), ms: z.number().nonnegative() }),
    (a) => `job ended ${a.result} (${a.code}) after ${a.ms} ms`,
    { result: 'rolled-back', code: 'ZUC-4002', ms: 3083 },
  ),
  'device-line': logEntry(z.object({ line: z.string() }), (a) => `device: ${a.line}`, { line: 'agent: slot b marked pending' }),
  'device-log-unreadable': logEntry(z.object({ error: LogErrorSchema }), (a) => `could not read the device log: ${englishErrorWords(a.error)}`, { error: ERROR }),
  'terminal-identified': logEntry(
    z.object({
      model: z.string(),
      hwRevision: z.string(),
      serial: z.string(),
      version: z.string(),
      activeSlot: LogSlotSchema,
      activeState: LogSlotStateSchema,
      targetSlot: LogSlotSchema,
      targetVersion: z.string(),
      targetState: LogSlotStateSchema,
    }),
    (a) =>
      `${a.model} rev ${a.hwRevision} serial ${a.serial}: runs ${a.version} from slot ${a.activeSlot} (${a.activeState}); slot ${a.targetSlot} holds '${a.targetVersion}' (${a.targetState})`,
    { model: 'MF286D', hwRevision: 'V1.0', serial: 'ZTE2026SIM0001', version: '1.2.0', activeSlot: 'a', activeState: 'good', targetSlot: 'b', targetVersion: '1.1.0', targetState: 'good' },
  ),
  'image-read': logEntry(
    z.object({ name: z.string(), bytes: z.number(), sha256: z.string(), header: z.object({ model: z.string(), hwRevision: z.string(), version: z.string() }).nullable() }),
    (a) => `image ${a.name}: ${a.bytes} bytes, sha256 ${a.sha256}${a.header ? `, ${a.header.model} rev ${a.header.hwRevision} version ${a.header.version}` : ''}`,
    { name: 'mf286d-1.3.0.img', bytes: 1048576, sha256: SHA, header: { model: 'MF286D', hwRevision: 'V1.0', version: '1.3.0' } },
  ),
  'package-read': logEntry(
    z.object({ name: z.string(), bytes: z.number(), sha256: z.string() }),
    (a) => `package ${a.name}: ${a.bytes} bytes, sha256 ${a.sha256}; verifying against the trust store and the terminal`,
    { name: 'mf286d-1.3.0.zup', bytes: 1049600, sha256: SHA },
  ),
  'package-verified': logEntry(
    z.object({ packageId: z.string(), version: z.string(), securityVersion: z.number(), partition: z.string() }),
    (a) => `package ${a.packageId} verified: version ${a.version}, security version ${a.securityVersion}, partition ${a.partition}`,
    { packageId: 'mf286d-1.3.0', version: '1.3.0', securityVersion: 3, partition: 'firmware' },
  ),
  'delta-package-verified': logEntry(
    z.object({ packageId: z.string(), version: z.string(), securityVersion: z.number(), targetBytes: z.number(), deltaBytes: z.number() }),
    (a) => `package ${a.packageId} verified: version ${a.version}, security version ${a.securityVersion}; the terminal builds the ${a.targetBytes}-byte image from a ${a.deltaBytes}-byte delta`,
    { packageId: 'mf286d-1.2.0-1.3.0', version: '1.3.0', securityVersion: 3, targetBytes: 1048576, deltaBytes: 40960 },
  ),
  'slot-written': logEntry(
    z.object({ bytes: z.number(), slot: LogSlotSchema, resumes: z.number().int().nonnegative() }),
    (a) => `wrote ${a.bytes} bytes to slot ${a.slot}${a.resumes > 0 ? ` (resumed ${a.resumes} time(s))` : ''}`,
    { bytes: 1048576, slot: 'b', resumes: 1 },
  ),
  'link-lost-waiting': logEntry(
    z.object({ address: z.string(), waitMs: z.number() }),
    (a) => `link to ${a.address} lost during the write; waiting up to ${a.waitMs} ms for the terminal to come back`,
    { address: '/dev/ttyUSB0', waitMs: 60000 },
  ),
  'terminal-back': logEntry(z.object({ serial: z.string(), resume: z.number() }), (a) => `terminal ${a.serial} is back; resuming the write (resume ${a.resume})`, {
    serial: 'ZTE2026SIM0001',
    resume: 1,
  }),
  'delta-applied': logEntry(
    z.object({ deltaBytes: z.number(), slot: LogSlotSchema, targetBytes: z.number() }),
    (a) => `terminal applied a ${a.deltaBytes}-byte delta into slot ${a.slot} (${a.targetBytes} bytes)`,
    { deltaBytes: 40960, slot: 'b', targetBytes: 1048576 },
  ),
  'slot-read-back': logEntry(z.object({ slot: LogSlotSchema, sha256: z.string() }), (a) => `slot ${a.slot} reads back as sha256 ${a.sha256}`, { slot: 'b', sha256: SHA }),
  'slot-activated': logEntry(z.object({ slot: LogSlotSchema }), (a) => `slot ${a.slot} marked active, pending confirmation`, { slot: 'b' }),
  'reboot-acknowledged': logEntry(z.object({}), () => 'terminal acknowledged the reboot; waiting for it to boot', {}),
  'slot-confirmed': logEntry(z.object({ slot: LogSlotSchema }), (a) => `slot ${a.slot} confirmed`, { slot: 'b' }),
  'switching-back': logEntry(z.object({ slot: LogSlotSchema }), (a) => `switching the terminal back to slot ${a.slot}`, { slot: 'a' }),
  'runs-again': logEntry(z.object({ version: z.string(), slot: LogSlotSchema }), (a) => `terminal runs ${a.version} from slot ${a.slot} again`, { version: '1.2.0', slot: 'a' }),
  'terminal-silent': logEntry(z.object({ code: z.string() }), (a) => `terminal did not answer (${a.code}); reconnecting`, { code: 'ZUC-2003' }),
  'terminal-answered': logEntry(z.object({ attempts: z.number() }), (a) => `terminal answered again after ${a.attempts} connection attempt(s)`, { attempts: 3 }),
  'link-closing': logEntry(z.object({ error: LogErrorSchema }), (a) => `closing the link: ${englishErrorWords(a.error)}`, { error: { code: 'ZUC-2002', detail: 'closing the link' } }),
  'backing-up': logEntry(
    z.object({ serial: z.string() }),
    (a) => `${a.serial} has a single firmware slot: it cannot roll back instantly, so its running image is backed up to the console first`,
    { serial: 'ZTE2026SIM0007' },
  ),
  'backed-up': logEntry(
    z.object({ version: z.string(), bytes: z.number(), sha256: z.string(), file: z.string() }),
    (a) => `backed up ${a.version} (${a.bytes} bytes, sha256 ${a.sha256}) to ${a.file}`,
    { version: '1.2.0', bytes: 1048576, sha256: SHA, file: '/data/backups/ZTE2026SIM0007/2026-12-07T01-00-00-000Z.img' },
  ),
  restoring: logEntry(
    z.object({ version: z.string(), file: z.string() }),
    (a) => `single-slot terminal: it cannot roll back instantly; writing back ${a.version} from ${a.file}`,
    { version: '1.2.0', file: '/data/backups/ZTE2026SIM0007/2026-12-07T01-00-00-000Z.img' },
  ),
  restored: logEntry(z.object({ version: z.string() }), (a) => `terminal runs ${a.version} again, restored from the backup`, { version: '1.2.0' }),
  'route-taken': logEntry(
    z.object({ node: LogNodeSchema, route: LogRouteSchema, to: LogTargetSchema }),
    (a) => `${a.node}: ${ROUTE_ENGLISH[a.route]}; going to ${a.to}`,
    { node: 'write', route: 'resume-write', to: 'reconnect' },
  ),
  retrying: logEntry(
    z.object({ error: LogErrorSchema, backoffMs: z.number(), attempt: z.number(), attempts: z.number() }),
    (a) => `${a.error.code} ${englishErrorWords(a.error)}; trying again in ${a.backoffMs} ms (attempt ${a.attempt} of ${a.attempts})`,
    { error: { code: 'ZUC-2001', detail: 'tcp://127.0.0.1:7001' }, backoffMs: 250, attempt: 2, attempts: 2 },
  ),
  'rollback-start': logEntry(
    z.object({ version: z.string(), slot: LogSlotSchema, target: LogSlotSchema, targetVersion: z.string() }),
    (a) => `terminal runs ${a.version} from slot ${a.slot}; going back to slot ${a.target} (${a.targetVersion})`,
    { version: '1.3.0', slot: 'b', target: 'a', targetVersion: '1.2.0' },
  ),
  'rollback-confirmed': logEntry(z.object({ slot: LogSlotSchema, version: z.string() }), (a) => `slot ${a.slot} confirmed: the terminal runs ${a.version}`, { slot: 'a', version: '1.2.0' }),
};
