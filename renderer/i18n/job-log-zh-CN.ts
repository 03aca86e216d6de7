import { lookupError } from '../../electron/shared/errors';
import type { LogError, LogNode, LogOffer, LogRoute, LogState, LogTarget, LogTextArgs, LogTextId } from '../../electron/shared/job-log';
import { errorsZhCN } from './errors-zh-CN';
import { zhCN } from './zh-CN';

/** A log text in Chinese, and which English it translates (FNV-1a of the English line for the catalogue's example arguments). */
export interface LogTranslation<K extends LogTextId> {
  readonly from: string;
  readonly text: (args: LogTextArgs<K>) => string;
}

export type LogTranslations = { readonly [K in LogTextId]: LogTranslation<K> };

const NODES: Record<LogNode, string> = {
  detect: '检测',
  verify: '校验',
  backup: '备份',
  write: '写入',
  reconnect: '等待终端重连',
  readback: '回读',
  activate: '激活',
  reboot: '重启',
  confirm: '确认',
  rollback: '回滚',
  restore: '恢复备份',
};
const TARGETS: Record<LogTarget, string> = { ...NODES, succeeded: '成功结束', failed: '失败结束', rolledBack: '回滚结束' };
const ROUTES: Record<LogRoute, string> = {
  'resume-write': '可续传的写入过程中链路断开',
  'restore-backup': '单分区终端：恢复其备份',
  'back-up-first': '单分区终端：覆盖前先备份正在运行的镜像',
};

const slot = (name: string) => `分区 ${name.toUpperCase()}`;
const slotState = (state: keyof typeof zhCN.slotState) => zhCN.slotState[state];
const kind = (name: keyof typeof zhCN.jobState | 'done') => (name === 'done' ? '已结束' : zhCN.jobState[name]);

/** A catalogued error as a Chinese line names it: the translated title; the detail is the engine's own words. */
function error(e: LogError): string {
  const title = errorsZhCN[e.code]?.title ?? lookupError(e.code)?.title;
  if (!title) return `${e.code} ${e.detail}`;
  return e.detail ? `${e.code} ${title}：${e.detail}` : `${e.code} ${title}`;
}

function state(s: LogState): string {
  switch (s.kind) {
    case 'installing':
      return `${kind(s.kind)}（${zhCN.job.step[s.step]}）`;
    case 'reporting':
      return `${kind(s.kind)}（${zhCN.jobState[s.result]}）`;
    case 'rolling-back':
      return `${kind(s.kind)}（因 ${s.code}）`;
    case 'waiting-for-terminal':
      return `${kind(s.kind)}，最迟至 ${s.deadline}`;
    default:
      return kind(s.kind);
  }
}

const HANDLING = { skip: '跳过', attempt: '尝试', forced: '强制' } as const;
const IDLE = { idle: '没有部署', 'downloaded-only': '已下载，安装等待服务器许可', deferred: '服务器暂缓下载', 'already-closed': '已关闭', 'cancel-accepted': '已接受取消' } as const;
const action = (a: { controllerId: string; actionId: string }) => `hawkBit ${a.controllerId} 操作 ${a.actionId}：`;

const offer = (o: LogOffer) => `${o.packageId}（${o.type === 'full' ? zhCN.library.full : zhCN.library.delta} ${o.version}，${o.size} 字节，${o.source}）`;

/**
 * 简体中文 for every line the engine writes to a job log
 * (electron/shared/job-log). Versions, serials, hashes, paths, codes and
 * byte counts stay as they are, so a technician can match them with the
 * English log. job-log-text.test.ts fails when an id has no entry here or
 * its English changed since it was translated (`from`).
 */
export const jobLogZhCN: LogTranslations = {
  'state-changed': { from: '5acd2d51', text: (a) => `${state(a.from)} → ${state(a.to)}` },
  'rollback-state': { from: '0a2f219d', text: (a) => `→ ${a.step ? `${kind('installing')}（${zhCN.job.step[a.step]}）` : kind(a.kind)}` },
  error: { from: '29bd53c5', text: (a) => error(a.error) },
  'node-failed': { from: 'e4e47acf', text: (a) => `${NODES[a.node]}失败：${error(a.error)}` },
  'job-ended': { from: '9a9baaac', text: (a) => `任务结束：${zhCN.jobState[a.result]}（${a.code}），用时 ${a.ms} ms` },
  'device-line': { from: '5cc93fc5', text: (a) => `设备：${a.line}` },
  'device-log-unreadable': { from: 'c853a17b', text: (a) => `无法读取设备日志：${error(a.error)}` },
  'terminal-identified': {
    from: '57ae5a90',
    text: (a) =>
      `${a.model} 硬件版本 ${a.hwRevision} 序列号 ${a.serial}：从${slot(a.activeSlot)} 运行 ${a.version}（${slotState(a.activeState)}）；${slot(a.targetSlot)} 中为 '${a.targetVersion}'（${slotState(a.targetState)}）`,
  },
  'image-read': {
    from: 'fc0f81b5',
    text: (a) => `镜像 ${a.name}：${a.bytes} 字节，sha256 ${a.sha256}${a.header ? `，${a.header.model} 硬件版本 ${a.header.hwRevision} 版本 ${a.header.version}` : ''}`,
  },
  'package-read': { from: '9ab4dcbf', text: (a) => `升级包 ${a.name}：${a.bytes} 字节，sha256 ${a.sha256}；正在对照信任库和终端进行校验` },
  'package-verified': { from: 'dd05ac25', text: (a) => `升级包 ${a.packageId} 校验通过：版本 ${a.version}，安全版本 ${a.securityVersion}，分区 ${a.partition}` },
  'delta-package-verified': {
    from: '20ccd710',
    text: (a) => `升级包 ${a.packageId} 校验通过：版本 ${a.version}，安全版本 ${a.securityVersion}；终端将由 ${a.deltaBytes} 字节的差分包生成 ${a.targetBytes} 字节的镜像`,
  },
  'slot-written': { from: '9a830f99', text: (a) => `已向${slot(a.slot)} 写入 ${a.bytes} 字节${a.resumes > 0 ? `（续传 ${a.resumes} 次）` : ''}` },
  'link-lost-waiting': { from: '5c9815ef', text: (a) => `写入过程中与 ${a.address} 的链路断开；最多等待 ${a.waitMs} ms，等终端重新连接` },
  'terminal-back': { from: 'b91fcba5', text: (a) => `终端 ${a.serial} 已重新连接；继续写入（第 ${a.resume} 次续传）` },
  'delta-applied': { from: '022f0418', text: (a) => `终端已将 ${a.deltaBytes} 字节的差分包应用到${slot(a.slot)}（${a.targetBytes} 字节）` },
  'slot-read-back': { from: 'c957a976', text: (a) => `${slot(a.slot)} 回读结果 sha256 ${a.sha256}` },
  'slot-activated': { from: '900682a1', text: (a) => `${slot(a.slot)} 已标记为活动分区，等待确认` },
  'reboot-acknowledged': { from: '208d24ac', text: () => '终端已确认重启；正在等待其启动' },
  'slot-confirmed': { from: 'b794b42a', text: (a) => `${slot(a.slot)} 已确认` },
  'switching-back': { from: 'e7e22bbb', text: (a) => `正在将终端切换回${slot(a.slot)}` },
  'runs-again': { from: '35d9b8bb', text: (a) => `终端重新从${slot(a.slot)} 运行 ${a.version}` },
  'terminal-silent': { from: '59c7ac92', text: (a) => `终端没有应答（${a.code}）；正在重新连接` },
  'terminal-answered': { from: '95d09c08', text: (a) => `经过 ${a.attempts} 次连接尝试后终端重新应答` },
  'link-closing': { from: '068d4a7f', text: (a) => `关闭链路：${error(a.error)}` },
  'backing-up': { from: '6e4ea838', text: (a) => `${a.serial} 只有一个固件分区，无法即时回滚，因此先将其正在运行的镜像备份到控制台` },
  'backed-up': { from: '588e131b', text: (a) => `已将 ${a.version}（${a.bytes} 字节，sha256 ${a.sha256}）备份到 ${a.file}` },
  restoring: { from: 'e23cdc24', text: (a) => `单分区终端无法即时回滚；正在从 ${a.file} 写回 ${a.version}` },
  restored: { from: '6c0b1e91', text: (a) => `终端已从备份恢复，重新运行 ${a.version}` },
  'route-taken': { from: '7d53f174', text: (a) => `${NODES[a.node]}：${ROUTES[a.route]}；转到${TARGETS[a.to]}` },
  retrying: { from: '5bd0d213', text: (a) => `${error(a.error)}；${a.backoffMs} ms 后重试（第 ${a.attempt} 次，共 ${a.attempts} 次）` },
  'delta-source-matches': {
    from: '0eea6b63',
    text: (a) => `差分包基于 ${a.baseVersion ?? `镜像 ${a.sha256}`}：源镜像 sha256 ${a.sha256}，与终端当前运行分区的哈希一致`,
  },
  'delta-on-device': { from: '013e7b00', text: (a) => `差分包 ${a.bytes} 字节，由终端自行应用：其运行分区正是差分包的源镜像（sha256 ${a.sha256}）` },
  'anti-rollback-unchecked': { from: '5a38ce17', text: (a) => `终端未报告安全版本：未检查防回滚（升级包安全版本 ${a.packageSecurityVersion}）` },
  'anti-rollback-checked': { from: 'c6603794', text: (a) => `防回滚检查：升级包安全版本 ${a.packageSecurityVersion}，终端 ${a.terminalSecurityVersion}` },
  'rollback-start': { from: 'a82e59a3', text: (a) => `终端从${slot(a.slot)} 运行 ${a.version}；正在切换回${slot(a.target)}（${a.targetVersion}）` },
  'rollback-confirmed': { from: '5e8417af', text: (a) => `${slot(a.slot)} 已确认：终端运行 ${a.version}` },
  'update-terminal-identified': { from: '9d8000a6', text: (a) => `${a.model} 硬件版本 ${a.hwRevision} 序列号 ${a.serial} 运行 ${a.version}（代理协议 ${a.agentVersion}）` },
  'source-failed': { from: '3057d36e', text: (a) => `升级源 ${a.source} 出错：${error(a.error)}` },
  offers: { from: '49437aba', text: (a) => `${a.offers.length} 个可用升级包：${a.offers.map(offer).join('；') || '无'}` },
  'offer-skipped': { from: '74189c74', text: (a) => `已跳过 ${offer(a.offer)}：${zhCN.library.status[a.signature]}，${error(a.error)}` },
  'route-full': { from: 'c05ed2ae', text: (a) => `升级路径：全量包 ${a.packageId}（${a.version}）` },
  'route-delta-on-device': { from: '61121ddc', text: (a) => `升级路径：差分包 ${a.packageId}，基于 ${a.base}，由终端自行应用；少下载 ${a.bytesSaved} 字节` },
  'route-delta-with-base': { from: 'a475191a', text: (a) => `升级路径：差分包 ${a.packageId}，基于 ${a.base}，少下载 ${a.bytesSaved} 字节；基础镜像取自 ${a.basePackageId}` },
  'route-full-no-base': { from: '26b54f13', text: (a) => `升级路径：全量包 ${a.packageId}：虽有差分包，但终端无法自行应用差分，且本控制台没有其当前镜像` },
  'package-cached': { from: '23bfb972', text: (a) => `升级包 ${a.packageId} 已在缓存中（sha256 ${a.sha256}）` },
  'package-downloaded': { from: '0b9bfe47', text: (a) => `已下载 ${a.packageId}：${a.bytes} 字节，来自 ${a.source}，sha256 ${a.sha256}` },
  'delta-base-extracted': { from: '6452204c', text: (a) => `已从 ${a.packageId} 提取差分基础镜像` },
  'delta-failed-full-instead': { from: '46fb0cbe', text: (a) => `差分升级失败（${a.code}）；改为安装全量包 ${a.packageId}` },
  'dev-untrusted-key': { from: '5bb6975e', text: (a) => `开发模式：接受仅由不受信任的密钥 ${a.keyIds.join(', ')} 签名的升级包` },
  'dev-unsigned': { from: '1798fc06', text: () => '开发模式：接受未签名的升级包；其来源未知' },
  'hawkbit-deployed': { from: '52e07a98', text: (a) => `hawkBit 下发了 ${a.filename}（${a.bytes} 字节，SHA-256 已校验）` },
  'hawkbit-nothing-to-install': { from: '4eed70c4', text: (a) => `${a.source}：${a.actionId === null ? IDLE.idle : `操作 ${a.actionId}：${IDLE[a.outcome]}`}` },
  'hawkbit-cancelled': { from: 'd0b952f9', text: (a) => `hawkBit ${a.controllerId}：服务器取消了操作 ${a.stopId}` },
  'hawkbit-download-deferred': { from: '1261507e', text: (a) => `${action(a)}服务器要求暂不下载` },
  'hawkbit-install-waits': {
    from: '88b8e376',
    text: (a) =>
      `${action(a)}已下载；安装等待服务器许可（更新方式：${HANDLING[a.update]}，维护窗口：${a.maintenanceWindow === null ? '无' : a.maintenanceWindow === 'available' ? '可用' : '不可用'}）`,
  },
  'hawkbit-install-not-started': { from: '903d7fff', text: (a) => `${action(a)}安装无法开始，下次轮询时重试：${error(a.error)}` },
  'hawkbit-no-artifact': { from: '1152a993', text: (a) => `${action(a)}${a.code} 部署中没有可安装的制品` },
  'hawkbit-artifact-downloaded': { from: '4dc4829c', text: (a) => `${action(a)}已下载 ${a.filename}（${a.bytes} 字节，SHA-256 已校验）` },
  'hawkbit-action-failed': { from: 'dcd11852', text: (a) => `${action(a)}${error(a.error)}` },
  'hawkbit-job-ended': { from: 'f7bdd323', text: (a) => `${action(a)}任务 ${a.jobId}（${a.address}）：${zhCN.jobState[a.result]} ${a.code}` },
};
