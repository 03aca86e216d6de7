import { describe, expect, it } from 'vitest';
import type { JobLogLine } from '../../electron/shared/contract';
import { E } from '../../electron/shared/errors';
import { JOB_LOG_TEXTS, jobLogLine, LOG_TEXT_IDS, logText, type JobLogText, type LogTextEntry } from '../../electron/shared/job-log';
import { formatTime } from '../ui/format';
import { errorsZhCN } from './errors-zh-CN';
import { logLineText } from './job-log-text';
import { jobLogZhCN } from './job-log-zh-CN';
import { translationFingerprint } from './translation-fingerprint';
import { zhCN } from './zh-CN';

const HAN = /\p{Script=Han}/u;
const entries = JOB_LOG_TEXTS as Record<string, LogTextEntry>;
const example = (id: string) => ({ id, args: entries[id]!.example }) as JobLogText;
const line = (text: JobLogText | string, level: JobLogLine['level'] = 'info') => jobLogLine('j1', '2026-12-07T01:00:00.000Z', level, text);
const zh = (text: JobLogText | string) => logLineText(line(text), 'zh-CN');
const english = (id: string) => entries[id]!.en(entries[id]!.example);

describe('Chinese job log texts cover the engine catalogue', () => {
  it('has a Chinese text for every id the engine writes', () => {
    const missing = LOG_TEXT_IDS.filter((id) => (jobLogZhCN as Record<string, unknown>)[id] === undefined).map((id) => `${id} (from: '${translationFingerprint(english(id))}')`);
    expect(missing, `log texts without Chinese in renderer/i18n/job-log-zh-CN.ts: ${missing.join(', ')}`).toEqual([]);
    const notChinese = LOG_TEXT_IDS.filter((id) => !HAN.test(zh(example(id))));
    expect(notChinese, `log texts whose Chinese has no Chinese words: ${notChinese.join(', ')}`).toEqual([]);
  });

  it('has no Chinese text for an id the engine does not know', () => {
    const known = new Set<string>(LOG_TEXT_IDS);
    expect(Object.keys(jobLogZhCN).filter((id) => !known.has(id))).toEqual([]);
  });

  it('translates the English the engine writes now: a changed English line asks for its Chinese to be reviewed', () => {
    const stale = LOG_TEXT_IDS.filter((id) => jobLogZhCN[id].from !== translationFingerprint(english(id))).map((id) => `${id} (from: '${translationFingerprint(english(id))}')`);
    expect(stale, `English changed since its Chinese was written; update the translation and its \`from\`: ${stale.join(', ')}`).toEqual([]);
  });

  it('keeps every version, serial, hash, path, code and byte count of the line', () => {
    // A technician matches these against the English log, the terminal and the package: a translation must not drop or alter them.
    const literal = /^(?:ZUC-\d{4}|[0-9a-f]{64}|\d{3,}|\d+\.\d+\.\d+|(?=[A-Z]*\d)[A-Z0-9]{6,}|[/:\w.-]*[/:][/:\w.-]*)$/;
    const dropped = LOG_TEXT_IDS.flatMap((id) => {
      const words = english(id).split(/[\s,;()']+/).map((w) => w.replace(/:$/, ''));
      const text = zh(example(id));
      return words.filter((w) => literal.test(w) && !text.includes(w)).map((w) => `${id}: ${w}`);
    });
    expect(dropped).toEqual([]);
  });
});

describe('logLineText', () => {
  it('shows a pipeline transition with the stage and state names of the Chinese screens', () => {
    const text = logText('state-changed', { from: { kind: 'installing', step: 'write' }, to: { kind: 'rolling-back', code: 'ZUC-4002' } });
    expect(zh(text)).toBe('安装中（写入） → 回滚中（因 ZUC-4002）');
    expect(logLineText(line(text), 'en')).toBe('installing (write) -> rolling-back after ZUC-4002');
  });

  it('names slots and their states in Chinese', () => {
    expect(zh(example('terminal-identified'))).toBe("MF286D 硬件版本 V1.0 序列号 ZTE2026SIM0001：从分区 A 运行 1.2.0（正常）；分区 B 中为 '1.1.0'（正常）");
    expect(zh(logText('slot-activated', { slot: 'b' }))).toBe('分区 B 已标记为活动分区，等待确认');
  });

  it('shows an error line with the translated title of its code and the engine’s detail', () => {
    const text = logText('error', { error: { code: E.NO_BOOT.code, detail: 'slot b did not boot within 90000 ms' } });
    expect(zh(text)).toBe(`${E.NO_BOOT.code} ${errorsZhCN[E.NO_BOOT.code]!.title}：slot b did not boot within 90000 ms`);
    expect(logLineText(line(text, 'error'), 'en')).toBe(`${E.NO_BOOT.code} ${E.NO_BOOT.title}: slot b did not boot within 90000 ms`);
  });

  it('shows the result of a finished job in the words of the job list', () => {
    expect(zh(logText('job-ended', { result: 'rolled-back', code: 'ZUC-4002', ms: 3083 }))).toBe('任务结束：已回滚（ZUC-4002），用时 3083 ms');
  });

  it('keeps the terminal’s own words in a relayed device line', () => {
    expect(zh(logText('device-line', { line: 'agent: boot slot b failed, bootcount 3' }))).toBe('设备：agent: boot slot b failed, bootcount 3');
  });

  it('shows a waiting-for-terminal deadline in local time, like the log’s own times, while the English message keeps the ISO time', () => {
    const deadline = '2026-12-07T01:01:30.000Z';
    const text = logText('state-changed', { from: { kind: 'installing', step: 'reboot' }, to: { kind: 'waiting-for-terminal', deadline } });
    expect(line(text).message).toBe(`installing (reboot) -> waiting-for-terminal until ${deadline}`);
    expect(logLineText(line(text), 'en')).toBe(`installing (reboot) -> waiting-for-terminal until ${formatTime(deadline)}`);
    expect(zh(text)).toBe(`${zhCN.jobState.installing}（${zhCN.job.step.reboot}） → ${zhCN.jobState['waiting-for-terminal']}，最迟至 ${formatTime(deadline)}`);
  });

  it('shows hawkBit lines in Chinese with the controller, action, file and byte count as they are', () => {
    const action = { controllerId: 'ZTE2026SIM0001', actionId: '42' };
    expect(zh(logText('hawkbit-artifact-downloaded', { ...action, filename: 'mf286d.zup', bytes: 1049600 }))).toBe(
      'hawkBit ZTE2026SIM0001 操作 42：已下载 mf286d.zup（1049600 字节，SHA-256 已校验）',
    );
    expect(zh(logText('hawkbit-nothing-to-install', { source: 'hawkbit:http://h/DEFAULT', actionId: null, outcome: 'idle' }))).toBe('hawkbit:http://h/DEFAULT：没有部署');
    expect(zh(logText('hawkbit-job-ended', { ...action, jobId: 'j7', address: 'tcp://127.0.0.1:7001', result: 'rolled-back', code: 'ZUC-4002' }))).toBe(
      `hawkBit ZTE2026SIM0001 操作 42：任务 j7（tcp://127.0.0.1:7001）：${zhCN.jobState['rolled-back']} ZUC-4002`,
    );
  });

  it('shows the development-mode warnings in Chinese on the console, the English on the line', () => {
    expect(zh(logText('dev-unsigned', {}))).toBe('开发模式：接受未签名的升级包；其来源未知');
    expect(line(logText('dev-unsigned', {}), 'warn').message).toBe('DEVELOPMENT MODE: accepting an UNSIGNED package; its origin is unknown');
  });

  it('shows the English message of a line without a text: relayed words and lines stored before ids existed', () => {
    expect(zh('agent: boot slot b failed, bootcount 3')).toBe('agent: boot slot b failed, bootcount 3');
    expect(logLineText({ jobId: 'j1', at: '2026-11-28T10:00:00.100Z', level: 'info', message: 'queued -> detecting' }, 'zh-CN')).toBe('queued -> detecting');
  });
});
