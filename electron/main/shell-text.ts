/**
 * What the desktop shell itself says (menu, system dialogs, notifications),
 * in the languages of the console page, chosen by the language in the
 * console's settings.
 */
const en = {
  batchFinishedTitle: 'ZTE Update Console: batch finished',
  batchFinishedBody: (succeeded: number, failed: number) =>
    failed === 0 ? `${succeeded} ${succeeded === 1 ? 'job' : 'jobs'} succeeded.` : `${succeeded} succeeded, ${failed} failed. Open the console to see why.`,
  quitTitle: 'Jobs are still running',
  quitMessage: (running: number) => `${running} ${running === 1 ? 'job is' : 'jobs are'} still running. Quit anyway?`,
  quitDetail:
    'Quitting stops them. A terminal still being written keeps running its old firmware: its new slot is never activated. A terminal already rebooting into new firmware confirms it or rolls back by itself. Stopped jobs are recorded as interrupted.',
  stay: 'Stay',
  quitAnyway: 'Quit anyway',
  menu: { file: 'File', edit: 'Edit', view: 'View', window: 'Window', help: 'Help', supportWebsite: 'ZTE support website' },
};

export type ShellText = typeof en;

const zhCN: ShellText = {
  batchFinishedTitle: 'ZTE 升级控制台：批量任务完成',
  batchFinishedBody: (succeeded: number, failed: number) => (failed === 0 ? `${succeeded} 个任务成功。` : `${succeeded} 个成功，${failed} 个失败。打开控制台查看原因。`),
  quitTitle: '仍有任务在运行',
  quitMessage: (running: number) => `仍有 ${running} 个任务在运行。仍要退出吗？`,
  quitDetail: '退出会停止这些任务。仍在写入的终端继续运行旧固件：新分区不会被激活。已在重启进入新固件的终端会自行确认或回退。被停止的任务记录为“中断”。',
  stay: '留下',
  quitAnyway: '仍要退出',
  menu: { file: '文件', edit: '编辑', view: '视图', window: '窗口', help: '帮助', supportWebsite: 'ZTE 技术支持网站' },
};

export const SHELL_TEXT: Readonly<Record<'en' | 'zh-CN', ShellText>> = { en, 'zh-CN': zhCN };

/** The texts for a language code from the settings; English for anything else. */
export function shellText(language: string | null | undefined): ShellText {
  return language === 'zh-CN' ? zhCN : en;
}
