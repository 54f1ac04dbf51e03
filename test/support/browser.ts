/**
 * Debian's Chromium, headless, driven through the DevTools protocol by
 * puppeteer-core (which never downloads a browser). Every phone-home feature
 * is off and each launch gets a fresh profile directory, so the browser
 * sends nothing anywhere; pages opened with {@link openWatched} additionally
 * intercept every request and let only the report file itself load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { ensurePackages } from './real-servers.js';

/** The system browser (Debian package `chromium`). */
export const CHROMIUM = '/usr/bin/chromium';

/** A running browser and its throwaway profile. */
export interface RunningBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Install Chromium if needed (see ensurePackages) and launch it headless with nothing that talks to the network. */
export async function launchChromium(): Promise<RunningBrowser> {
  ensurePackages(['chromium']);
  const profile = mkdtempSync(join(tmpdir(), 'fedcheck-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
      '--metrics-recording-only',
      '--no-pings',
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a page did besides showing itself. */
export interface PageWatch {
  readonly page: Page;
  /** URLs the page asked for other than the report itself (all were aborted). */
  readonly requests: string[];
  /** Messages of alert / confirm / prompt dialogs (all dismissed). */
  readonly dialogs: string[];
  /** Console messages of type error, and uncaught exceptions. */
  readonly errors: string[];
  /** `securitypolicyviolation` events seen by the page: "directive blockedURI". */
  violations(): Promise<string[]>;
}

/**
 * Open a local HTML file in a new page that records (and blocks) every other
 * request, dialog, console error and CSP violation. `javaScript: false` opens
 * it with scripting disabled.
 */
export async function openWatched(browser: Browser, file: string, options: { readonly javaScript?: boolean; readonly dark?: boolean; readonly width?: number } = {}): Promise<PageWatch> {
  const page = await browser.newPage();
  const url = pathToFileURL(file).href;
  const watch = { page, requests: [] as string[], dialogs: [] as string[], errors: [] as string[] };
  await page.setViewport({ width: options.width ?? 1200, height: 900 });
  if (options.dark === true) await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) void request.continue();
    else {
      watch.requests.push(request.url());
      void request.abort('blockedbyclient');
    }
  });
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(message.text());
  });
  page.on('pageerror', (error) => watch.errors.push(error instanceof Error ? error.message : String(error)));
  // Runs before the report's own script, outside the page's CSP (DevTools injects it).
  await page.evaluateOnNewDocument(
    "window.__violations = []; document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI); });",
  );
  await page.setJavaScriptEnabled(options.javaScript !== false);
  await page.goto(url, { waitUntil: 'load' });
  return {
    ...watch,
    violations: () => inPage<string[]>(page, 'window.__violations || []'),
  };
}

/** Evaluate a JavaScript expression in the page (the tests' DOM code is page code, not Node code). */
export async function inPage<T>(page: Page, expression: string): Promise<T> {
  return (await page.evaluate(expression)) as T;
}
