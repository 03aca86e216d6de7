import type { StagedImage, TerminalInfo } from '../../electron/shared/contract';
import { en } from '../i18n/en';
import type { Messages } from '../i18n/messages';
import { formatBytes } from './format';

/**
 * Why the engine's verify stage will refuse this image for this terminal,
 * told before the technician presses Start. The engine still decides; this
 * only mirrors its guards (header, model and revision, slot size).
 */
export function imageFitProblems(image: StagedImage, terminal: TerminalInfo, t: Messages = en): string[] {
  const problems: string[] = [];
  if (image.model === null || image.hwRevision === null) {
    problems.push(t.flash.noImageHeader);
  } else if (image.model !== terminal.model || image.hwRevision !== terminal.hwRevision) {
    problems.push(t.flash.modelMismatch(t.flash.modelAndRevision(image.model, image.hwRevision), t.flash.modelAndRevision(terminal.model, terminal.hwRevision)));
  }
  if (image.size > terminal.slotSize) problems.push(t.flash.tooLargeForSlot(formatBytes(image.size), formatBytes(terminal.slotSize)));
  return problems;
}
