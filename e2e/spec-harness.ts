import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Bench } from './bench';
import { launchChromium, openConsolePage } from './browser';

/** Screenshots of the screens a spec reaches, and of the screen at a failure, kept as test artifacts (gitignored). */
export const ARTIFACTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

/** Saves what `page` shows as e2e/artifacts/`name`: the whole page, or only the window when `fullPage` is false. */
export function saveScreenshot(page: Page, name: string, { fullPage = true }: { fullPage?: boolean } = {}): Promise<Buffer> {
  return page.screenshot({ path: path.join(ARTIFACTS_DIR, name), fullPage });
}

export interface ConsolePageOptions {
  /** Starts the bench the page talks to, after making whatever it needs first (a library, a trust folder). */
  bench: () => Promise<Bench>;
  /** A failed test's screenshot is `failed-<failedShotPrefix>-<test name>.png`, or `failed-<test name>.png` without one. */
  failedShotPrefix?: string;
  /** Whether `shot` and the failure screenshot take the whole page (the default) or only the window. */
  fullPage?: boolean;
  /** Runs once the page is open, before the first test: waits for the terminals, runs the jobs every test reads. */
  ready?: () => Promise<void>;
  /** Closes what `bench` started besides the bench (servers, temp folders); runs after the browser and the bench are closed. */
  close?: () => Promise<void>;
}

export interface ConsolePage {
  readonly bench: Bench;
  readonly browser: Browser;
  readonly page: Page;
  /** Script errors and Content-Security-Policy refusals the page reported: a spec expects none. */
  readonly problems: string[];
  /** Saves what the page shows as e2e/artifacts/`name`; `fullPage` overrides the spec's default. */
  shot(name: string, options?: { fullPage?: boolean }): Promise<Buffer>;
}

/**
 * One console page in Chromium against a bench, for the tests of one spec
 * file: started before the first test, screenshotted after any test that
 * fails, and closed after the last one (browser, bench, then `close`) even
 * when a test or one of the closes fails, so no station or Chromium outlives
 * the file. Call it at the top of the spec; read its members inside tests.
 */
export function useConsolePage(options: ConsolePageOptions): ConsolePage {
  const fullPage = options.fullPage ?? true;
  let bench: Bench | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const problems: string[] = [];
  const opened = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the console page's ${what} is used before it started`);
    return value;
  };
  const spec: ConsolePage = {
    get bench() {
      return opened(bench, 'bench');
    },
    get browser() {
      return opened(browser, 'browser');
    },
    get page() {
      return opened(page, 'page');
    },
    problems,
    shot: (name, shotOptions) => saveScreenshot(spec.page, name, { fullPage, ...shotOptions }),
  };

  beforeAll(async () => {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    bench = await options.bench();
    browser = await launchChromium();
    page = await openConsolePage(browser, bench.station.url, problems);
    await options.ready?.();
  });

  // The screen at a failure is the first thing to look at when a test breaks.
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    const prefix = options.failedShotPrefix ? `failed-${options.failedShotPrefix}-` : 'failed-';
    await saveScreenshot(page, `${prefix}${context.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`, { fullPage });
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      try {
        await bench?.close();
      } finally {
        await options.close?.();
      }
    }
  });

  return spec;
}
