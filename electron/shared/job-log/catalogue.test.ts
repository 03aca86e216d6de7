import { describe, expect, it } from 'vitest';
import { JobLogLineSchema } from '../contract';
import { E, ZucError } from '../errors';
import { englishLogText, hawkbitNoteDetail, JOB_LOG_TEXTS, jobLogLine, LOG_TEXT_IDS, logError, logText, type LogTextEntry } from '.';

const entries = JOB_LOG_TEXTS as Record<string, LogTextEntry>;

describe('job log text catalogue', () => {
  it('has example arguments its own schema accepts for every id', () => {
    const refused = LOG_TEXT_IDS.filter((id) => !entries[id]!.args.safeParse(entries[id]!.example).success);
    expect(refused).toEqual([]);
  });

  it('writes the English lines the engine always wrote', () => {
    expect(englishLogText(logText('state-changed', { from: { kind: 'queued' }, to: { kind: 'detecting' } }))).toBe('queued -> detecting');
    expect(englishLogText(logText('state-changed', { from: { kind: 'installing', step: 'confirm' }, to: { kind: 'reporting', result: 'success' } }))).toBe(
      'installing (confirm) -> reporting (success)',
    );
    expect(englishLogText(logText('job-ended', { result: 'rolled-back', code: 'ZUC-4002', ms: 3083 }))).toBe('job ended rolled-back (ZUC-4002) after 3083 ms');
    expect(englishLogText(logText('slot-written', { bytes: 4096, slot: 'b', resumes: 0 }))).toBe('wrote 4096 bytes to slot b');
    expect(englishLogText(logText('offers', { offers: [] }))).toBe('0 offer(s): none');
    expect(englishLogText(logText('route-taken', { node: 'verify', route: 'back-up-first', to: 'backup' }))).toBe(
      'verify: single-slot terminal: backing up its running image before writing over it; going to backup',
    );
  });

  it('writes the hawkBit lines and development-mode warnings as the engine and `zuc verify` always did', () => {
    const action = { controllerId: 'ZTE2026SIM0001', actionId: '42' };
    expect(englishLogText(logText('hawkbit-deployed', { filename: 'mf286d.zup', bytes: 1049600 }))).toBe('hawkBit deployed mf286d.zup (1049600 bytes, SHA-256 verified)');
    expect(englishLogText(logText('hawkbit-nothing-to-install', { source: 'hawkbit:http://h/DEFAULT', actionId: null, outcome: 'idle' }))).toBe('hawkbit:http://h/DEFAULT: no deployment');
    expect(englishLogText(logText('hawkbit-nothing-to-install', { source: 'hawkbit:http://h/DEFAULT', actionId: '42', outcome: 'downloaded-only' }))).toBe(
      'hawkbit:http://h/DEFAULT: action 42: downloaded-only',
    );
    expect(englishLogText(logText('hawkbit-cancelled', { controllerId: 'ZTE2026SIM0001', stopId: '41' }))).toBe('hawkbit ZTE2026SIM0001: action 41 cancelled by the server');
    expect(englishLogText(logText('hawkbit-install-waits', { ...action, update: 'skip', maintenanceWindow: null }))).toBe(
      'hawkbit ZTE2026SIM0001 action 42: downloaded; install waits for the server (update skip, maintenance window none)',
    );
    const error = new ZucError(E.TERMINAL_BUSY, 'ZTE2026SIM0001 is busy');
    expect(englishLogText(logText('hawkbit-install-not-started', { ...action, error: logError(error) }))).toBe(
      `hawkbit ZTE2026SIM0001 action 42: install could not start, next poll tries again: ${error.code} ${error.message}`,
    );
    expect(englishLogText(logText('dev-untrusted-key', { keyIds: ['7f3a9c01', '0b1c2d3e'] }))).toBe('DEVELOPMENT MODE: accepting a package signed only by untrusted key 7f3a9c01, 0b1c2d3e');
    expect(englishLogText(logText('dev-unsigned', {}))).toBe('DEVELOPMENT MODE: accepting an UNSIGNED package; its origin is unknown');
  });

  it('gives a hawkBit note to the server without the controller and action the job log names', () => {
    const note = logText('hawkbit-job-ended', { controllerId: 'ZTE2026SIM0001', actionId: '42', jobId: 'j7', address: 'tcp://127.0.0.1:7001', result: 'rolled-back', code: 'ZUC-4002' });
    expect(hawkbitNoteDetail(note)).toBe('job j7 on tcp://127.0.0.1:7001: rolled-back ZUC-4002');
    expect(englishLogText(note)).toBe('hawkbit ZTE2026SIM0001 action 42: job j7 on tcp://127.0.0.1:7001: rolled-back ZUC-4002');
    const failed = logText('hawkbit-action-failed', { controllerId: 'C', actionId: '1', error: logError(new ZucError(E.DEPLOYMENT_UNUSABLE, 'expected one package, the deployment has 2 artifacts')) });
    expect(hawkbitNoteDetail(failed)).toBe(`${E.DEPLOYMENT_UNUSABLE.code} ${E.DEPLOYMENT_UNUSABLE.title}: expected one package, the deployment has 2 artifacts`);
  });

  it('words an error line as ZucError does: code, catalogued title, detail', () => {
    const error = new ZucError(E.NO_BOOT, 'slot b did not boot within 90000 ms');
    expect(englishLogText(logText('error', { error: logError(error) }))).toBe(`${error.code} ${error.message}`);
    expect(englishLogText(logText('error', { error: { code: E.INTERRUPTED.code, detail: '' } }))).toBe(`${E.INTERRUPTED.code} ${E.INTERRUPTED.title}`);
  });
});

describe('job log lines in the contract', () => {
  it('carries a catalogued text next to its English message', () => {
    const line = jobLogLine('j1', '2026-12-07T01:00:00.000Z', 'info', logText('slot-confirmed', { slot: 'b' }));
    expect(line).toEqual({ jobId: 'j1', at: '2026-12-07T01:00:00.000Z', level: 'info', message: 'slot b confirmed', text: { id: 'slot-confirmed', args: { slot: 'b' } } });
    expect(JobLogLineSchema.parse(line)).toEqual(line);
  });

  it('keeps relayed words as a message without a text', () => {
    const line = jobLogLine('j1', '2026-12-07T01:00:00.000Z', 'warn', 'agent: boot slot b failed, bootcount 3');
    expect(line.text).toBeUndefined();
    expect(JobLogLineSchema.parse(line)).toEqual(line);
  });

  it('refuses a text with an unknown id or arguments that do not fit it', () => {
    const base = { jobId: 'j1', at: '2026-12-07T01:00:00.000Z', level: 'info', message: 'slot b confirmed' };
    expect(JobLogLineSchema.safeParse({ ...base, text: { id: 'no-such-line', args: {} } }).success).toBe(false);
    expect(JobLogLineSchema.safeParse({ ...base, text: { id: 'slot-confirmed', args: { slot: 'c' } } }).success).toBe(false);
    expect(JobLogLineSchema.safeParse({ ...base, text: { id: 'slot-confirmed', args: {} } }).success).toBe(false);
  });
});
