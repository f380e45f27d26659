import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { projectPath } from '../../core/paths.js';

const run = promisify(execFile);

/** Debian's Chromium, driven by playwright-core (which downloads no browser of its own). */
export const CHROMIUM = process.env.RG_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for a machine without internet: no background services that would dial out (and flood
 * closed connections), no QUIC, no GPU, no sandbox (tests run as root in CI).
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Installs Debian's `chromium` package when the browser is missing (a fresh CI machine). */
export async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Waits for another apt run's lock rather than failing at once.
  const apt = (...args: string[]) =>
    run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', '-q', ...args], { env, timeout: 10 * 60_000 });
  try {
    await apt('install', '-y', 'chromium');
  } catch {
    // A fresh machine has no package lists yet.
    await apt('update');
    await apt('install', '-y', 'chromium');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
}

export interface TestBrowser {
  context: BrowserContext;
  /** Errors the pages wrote to the browser's console (and uncaught exceptions), with the page's URL. */
  errors: { text: string; url: string }[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, collecting every console error of its pages. */
export async function launchBrowser({ colorScheme = 'light' as 'light' | 'dark' } = {}): Promise<TestBrowser> {
  await ensureChromium();
  const profile = await mkdtemp(join(tmpdir(), 'rg-console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    colorScheme,
  });
  const errors: TestBrowser['errors'] = [];
  const watch = (page: Page) => {
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') errors.push({ text: message.text(), url: page.url() });
    });
    page.on('pageerror', (error) => errors.push({ text: `uncaught: ${error.message}`, url: page.url() }));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    errors,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Where the browser tests write their screenshots (ignored by git). */
export const ARTIFACTS = projectPath('test-artifacts', 'console');

/** Saves a screenshot of the page as `test-artifacts/console/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
