import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { MatcherName } from '../../electron/engine/delta';

/** What /usr/bin/time -v says about one process. */
export interface Measured {
  wallS: number;
  cpuS: number;
  peakMiB: number;
  stdout: string;
}

function field(report: string, name: string): string {
  const line = report.split('\n').find((l) => l.trim().startsWith(name));
  if (!line) throw new Error(`/usr/bin/time printed no '${name}'`);
  return line.slice(line.lastIndexOf(': ') + 2).trim();
}

function seconds(clock: string): number {
  return clock.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/** Runs a command under GNU time and returns its wall time, CPU time and peak resident memory. */
export function measure(command: string, args: string[]): Measured {
  const reportFile = `/tmp/zuc-bench-time-${process.pid}.txt`;
  const stdout = execFileSync('/usr/bin/time', ['-v', '-o', reportFile, command, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] });
  const report = readFileSync(reportFile, 'utf8');
  return {
    wallS: seconds(field(report, 'Elapsed (wall clock) time')),
    cpuS: Number(field(report, 'User time (seconds)')) + Number(field(report, 'System time (seconds)')),
    peakMiB: Number(field(report, 'Maximum resident set size (kbytes)')) / 1024,
    stdout,
  };
}

export interface Tool {
  name: string;
  diff(oldFile: string, newFile: string, patchFile: string): [string, string[]];
  apply(oldFile: string, patchFile: string, outFile: string): [string, string[]];
  /** Our codec only: the in-process apply measurement (best of several runs, own allocations), not timed as a process. */
  codecApply?(oldFile: string, patchFile: string, outFile: string): [string, string[]];
}

export function externalTools(): Tool[] {
  return [
    {
      name: 'bsdiff',
      diff: (o, n, p) => ['bsdiff', [o, n, p]],
      apply: (o, p, out) => ['bspatch', [o, out, p]],
    },
    {
      name: 'xdelta3',
      diff: (o, n, p) => ['xdelta3', ['-9', '-S', 'djw', '-f', '-e', '-s', o, n, p]],
      apply: (o, p, out) => ['xdelta3', ['-f', '-d', '-s', o, p, out]],
    },
    {
      name: 'zstd',
      diff: (o, n, p) => ['zstd', ['-q', '-f', '-19', '--long=27', `--patch-from=${o}`, n, '-o', p]],
      apply: (o, p, out) => ['zstd', ['-q', '-f', '-d', '--long=27', `--patch-from=${o}`, p, '-o', out]],
    },
  ];
}

/** Our codec with one matcher; rows are named zdelta-sa and zdelta-hash. */
export function ourTool(bundle: string, matcher: MatcherName): Tool {
  return {
    name: matcher === 'suffix-array' ? 'zdelta-sa' : `zdelta-${matcher}`,
    diff: (o, n, p) => [process.execPath, ['--expose-gc', bundle, 'diff', o, n, p, matcher]],
    apply: (o, p, out) => [process.execPath, ['--expose-gc', bundle, 'apply', o, p, out]],
    codecApply: (o, p, out) => [process.execPath, ['--expose-gc', bundle, 'apply-codec', o, p, out]],
  };
}
