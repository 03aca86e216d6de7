import type { Page } from 'playwright-core';
import { t as en } from '../renderer/i18n/en';
import type { Messages } from '../renderer/i18n/messages';

export interface DialogFlash {
  /** The terminal's row and how the console names it ("MODEL SERIAL"). */
  address: string;
  name: string;
  /** The image file to choose. */
  image: string;
  /** The console's language (English by default). */
  texts?: Messages;
  /** What the dialog must show before Start is pressed: the image's version read from its header (default), or a compatible verdict. */
  readyWhen?: 'image-read' | 'compatible';
}

/** Opens the flash dialog on a terminal's row, chooses the image, waits until the console has read it, starts, and waits for the dialog to close. */
export async function flashFromDialog(page: Page, { address, name, image, texts = en, readyWhen = 'image-read' }: DialogFlash): Promise<void> {
  await page.locator(`tr[data-address="${address}"]`).getByRole('button', { name: texts.terminals.flashLabel(name) }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(texts.flash.fileLabel).setInputFiles(image);
  await dialog.locator(readyWhen === 'compatible' ? '.compat-row[data-status="compatible"]' : '[data-fact="version"]').waitFor();
  await dialog.getByRole('button', { name: texts.flash.start }).click();
  await dialog.waitFor({ state: 'hidden' });
}
