import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/**
 * A console page at `url` in a 1360×900 window. Any script error or CSP
 * refusal lands in `problems`: the console must run under its own policy.
 * Reconnect attempts while the station is down are expected; Chromium logs
 * each failed one, so those are left out.
 */
export async function openConsolePage(browser: Browser, url: string, problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/^WebSocket connection to .* failed/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  await page.goto(url);
  return page;
}
