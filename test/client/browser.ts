import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** A host name that resolves to 127.0.0.1 in the test browser only: a server on another machine. */
export const ATTACKER_HOST = 'attacker.example';

/** Debian's Chromium; CI installs the same package. Never a downloaded browser. */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A name that is not this computer, for the servers tests play attackers with.
  `--host-resolver-rules=MAP ${ATTACKER_HOST} 127.0.0.1`,
];

/** What a page did that a test may want to assert never happened. */
export interface PageWatch {
  errors: string[];
  dialogs: string[];
  cspViolations: string[];
}

export interface OpenPage {
  page: Page;
  watch: PageWatch;
}

/** How to open a page. */
export interface OpenOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /**
   * Serve this WebSocket URL as the page's `config.json`, as a deployed site whose config named
   * it would (a page served with a config.json ignores `?url=`).
   */
  webSocketUrl?: string;
  /** localStorage items the page finds on its first load (a key made earlier, say). */
  localStorage?: Record<string, string>;
  /** The page's localStorage throws on every use, as a browser set to block site data does. */
  refuseStorage?: boolean;
  /** The browser's language and region (`de-DE`), which times are shown in; the browser's own otherwise. */
  locale?: string;
  /** The computer's time zone (`UTC`); this machine's otherwise. */
  timezoneId?: string;
}

/**
 * One headless Chromium for the test file, launched before its tests and closed after them.
 * `open(url)` gives a page in its own context (its own storage), watched for script errors,
 * dialogs and Content-Security-Policy violations.
 */
export const useBrowser = () => {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  const open = async (url: string, options: OpenOptions = {}): Promise<OpenPage> => {
    const { viewport = { width: 900, height: 640 }, colorScheme = 'light', webSocketUrl } = options;
    if (!browser) throw new Error('the browser has not started');
    const context = await browser.newContext({
      viewport,
      colorScheme,
      deviceScaleFactor: 1,
      ...(options.locale ? { locale: options.locale } : {}),
      ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    });
    contexts.push(context);
    if (webSocketUrl) {
      await context.route('**/config.json', (route) => route.fulfill({ json: { webSocketUrl } }));
    }
    if (options.localStorage) {
      // Before the page's own script, and only where the page has not written them since.
      await context.addInitScript((items) => {
        const storage = (globalThis as unknown as { localStorage: Storage }).localStorage;
        for (const [key, value] of Object.entries(items))
          if (storage.getItem(key) === null) storage.setItem(key, value);
      }, options.localStorage);
    }
    if (options.refuseStorage) {
      await context.addInitScript(() => {
        Object.defineProperty(globalThis, 'localStorage', {
          get() {
            throw new Error('The user denied access to storage');
          },
        });
      });
    }
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const watch: PageWatch = { errors: [], dialogs: [], cspViolations: [] };
    page.on('pageerror', (error) => watch.errors.push(error.message));
    page.on('dialog', (dialog) => {
      watch.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) watch.cspViolations.push(message.text());
    });
    await page.goto(url);
    return { page, watch };
  };
  return { open };
};
