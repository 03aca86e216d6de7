import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (scripts/install-test-deps.sh); Playwright's own browser downloads are never used. */
export const CHROMIUM_PATH = process.env.ZUC_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a headless Chromium in a container or CI: no sandbox namespaces, no GPU, no phoning home. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: run \`sudo bash scripts/install-test-deps.sh\`, or point ZUC_CHROMIUM at a Chromium binary`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
