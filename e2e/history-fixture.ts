import type { JobReport, StageRecord } from '../electron/shared/contract';
import { E, type ErrorEntry } from '../electron/shared/errors';
import { JobStore, openDatabase } from '../electron/engine/store';

/** Terminals of the seeded history, as a bench of three models over two weeks would have them. */
const FLEET = [
  { model: 'MF286D', serial: 'ZTE286D00', address: 'tcp://10.0.8.' },
  { model: 'MC801A', serial: 'ZTE801A00', address: 'tcp://10.0.9.' },
  { model: 'MU5001', serial: 'ZTE5001A0', address: 'tcp://10.0.7.' },
] as const;

/** Ways a seeded job ends, by how often they happen on a real bench. */
const ENDINGS: { result: JobReport['result']; error: ErrorEntry | null; weight: number }[] = [
  { result: 'success', error: null, weight: 17 },
  { result: 'failed', error: E.READBACK_MISMATCH, weight: 1 },
  { result: 'rolled-back', error: E.BOOT_FAILED_ROLLED_BACK, weight: 1 },
  { result: 'failed', error: E.LINK_LOST, weight: 1 },
];

/** A small deterministic generator: the same history on every run, so the screenshot compares. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

export interface SeededHistory {
  jobs: number;
  byModel: Record<string, number>;
}

/**
 * Writes `days` days of finished update jobs before today into the engine's
 * database, the way the engine stores them: per job a report with its stage
 * times, so the History charts have a past to draw. Each day has between
 * `minPerDay` and `minPerDay + 8` jobs.
 */
export function seedHistory(dataDir: string, days: number, { now = new Date(), minPerDay = 4 }: { now?: Date; minPerDay?: number } = {}): SeededHistory {
  const random = seeded(20261128);
  const db = openDatabase(dataDir);
  const store = new JobStore(db);
  const byModel: Record<string, number> = {};
  let jobs = 0;
  try {
    for (let d = days; d >= 1; d--) {
      const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() - d);
      const count = minPerDay + Math.floor(random() * 9);
      for (let n = 0; n < count; n++) {
        const terminal = FLEET[Math.floor(random() * FLEET.length)]!;
        const pick = random() * ENDINGS.reduce((w, e) => w + e.weight, 0);
        let acc = 0;
        const ending = ENDINGS.find((e) => (acc += e.weight) > pick)!;
        const startedAt = new Date(day.getTime() + (8 * 60 + Math.floor(random() * 9 * 60)) * 60_000);
        const stage = (name: StageRecord['name'], ms: number): StageRecord => ({ name, status: 'done', ms: Math.round(ms) });
        const stages: StageRecord[] = [
          stage('detect', 400 + random() * 600),
          stage('download', 2_000 + random() * 9_000 * (d % 4 === 0 ? 2 : 1)),
          stage('verify', 800 + random() * 900),
          ending.error === E.LINK_LOST ? { name: 'install', status: 'failed', ms: null } : stage('install', 28_000 + random() * 22_000),
          stage('report', 150 + random() * 250),
        ];
        const durationMs = stages.reduce((t, s) => t + (s.ms ?? 0), 0);
        const jobId = `seed-${d}-${n}`;
        const report: JobReport = {
          jobId,
          address: `${terminal.address}${10 + n}:5601`,
          serial: `${terminal.serial}${n}`,
          model: terminal.model,
          imageName: `${terminal.model.toLowerCase()}-b03.zup`,
          result: ending.result,
          code: (ending.error ?? E.SUCCESS).code,
          error: ending.error && { code: ending.error.code, title: ending.error.title, cause: ending.error.cause, remedy: ending.error.remedy, retryable: ending.error.retryable, detail: '' },
          stages,
          fromVersion: 'B02',
          toVersion: ending.result === 'success' ? 'B03' : 'B02',
          activeSlot: ending.result === 'success' ? 'b' : 'a',
          bytesSent: ending.result === 'success' ? 6_291_456 : 1_048_576,
          durationMs,
          startedAt: startedAt.toISOString(),
          finishedAt: new Date(startedAt.getTime() + durationMs).toISOString(),
        };
        store.insertJob({ id: jobId, address: report.address, imageName: report.imageName, createdAt: report.startedAt });
        store.finishJob(report);
        byModel[terminal.model] = (byModel[terminal.model] ?? 0) + 1;
        jobs++;
      }
    }
  } finally {
    db.close();
  }
  return { jobs, byModel };
}
