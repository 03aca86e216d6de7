import { describe, expect, it } from 'vitest';
import type { JobReport } from '../../electron/shared/contract';
import { filterHistory, NO_FILTER, toServerFilter } from './history-filter';

function report(jobId: string, model: string, result: JobReport['result'], code: string, startedAt: string): JobReport {
  return {
    jobId, address: `tcp://10.0.0.${jobId}:5600`, serial: `SN${jobId}`, model, imageName: 'x.bin', result, code, error: null, stages: [],
    fromVersion: '1', toVersion: '2', activeSlot: 'a', bytesSent: 0, durationMs: 0, startedAt, finishedAt: startedAt,
  };
}
const reports = [
  report('1', 'MF286D', 'success', 'ZUC-0000', '2026-11-20T12:00:00'),
  report('2', 'MF971R', 'rolled-back', 'ZUC-4003', '2026-11-25T12:00:00'),
  report('3', 'MF286D', 'failed', 'ZUC-3002', '2026-11-28T12:00:00'),
];
const ids = (rs: JobReport[]) => rs.map((r) => r.jobId);

describe('history filter', () => {
  it('keeps everything without a filter', () => expect(ids(filterHistory(reports, NO_FILTER))).toEqual(['1', '2', '3']));
  it('filters by model and result together', () => {
    expect(ids(filterHistory(reports, { ...NO_FILTER, model: 'MF286D', result: 'failed' }))).toEqual(['3']);
  });
  it('filters by part of a code or serial, ignoring case', () => {
    expect(ids(filterHistory(reports, { ...NO_FILTER, code: 'zuc-40' }))).toEqual(['2']);
    expect(ids(filterHistory(reports, { ...NO_FILTER, terminal: 'sn1' }))).toEqual(['1']);
  });
  it('keeps a date range with both days included', () => {
    expect(ids(filterHistory(reports, { ...NO_FILTER, from: '2026-11-25', to: '2026-11-28' }))).toEqual(['2', '3']);
  });
});

describe('the engine filter for the CSV export', () => {
  it('leaves blank fields out and turns days into the whole local day', () => {
    expect(toServerFilter(NO_FILTER)).toEqual({});
    const f = toServerFilter({ ...NO_FILTER, code: ' zuc-4003 ', from: '2026-11-25', to: '2026-11-25' });
    expect(f.code).toBe('ZUC-4003');
    expect(new Date(f.from!).getDate()).toBe(25);
    expect(new Date(f.to!).getTime() - new Date(f.from!).getTime()).toBe(24 * 3600 * 1000 - 1);
  });
});
