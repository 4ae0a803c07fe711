import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useChatPages } from './chat-pages.js';
import { say, waitForText, waitLive, waitNothingPending } from './page-model.js';

const { server, browser } = useChatPages();

const PHONE = { width: 390, height: 844 };
/** The same phone with its on-screen keyboard up. */
const KEYBOARD_UP = { width: 390, height: 500 };

const room = 'phone-room';
const longName = 'Alexandra Konstantinopoulou';

/** A short conversation between three people, one with a long name, before each test's phone joins. */
beforeAll(async () => {
  const alice = await browser.open(server.pageUrl({ room, name: 'Alice' }));
  const alexandra = await browser.open(server.pageUrl({ room, name: longName }));
  await Promise.all([waitLive(alice.page), waitLive(alexandra.page)]);
  const lines: [Page, string][] = [
    [alice.page, 'Morning! Did the deploy go through?'],
    [alexandra.page, 'Yes: one Lambda, one table, and the page is a single HTML file.'],
    [alice.page, 'And on my phone in a tunnel?'],
    [
      alexandra.page,
      'It reconnects by itself and resumes from the last message it saw.\nWhat you type meanwhile is sent once you are back.',
    ],
    [alice.page, 'Nothing lost and nothing twice, then.'],
  ];
  for (const [page, text] of lines) {
    await say(page, text);
    await waitNothingPending(page);
  }
});

const openPhone = async (
  name: string,
  viewport = PHONE,
  colorScheme: 'light' | 'dark' = 'light',
) => {
  const opened = await browser.open(server.pageUrl({ room, name }), { viewport, colorScheme });
  await waitLive(opened.page);
  await waitForText(opened.page, 'Nothing lost and nothing twice, then.');
  await opened.page.locator('#presence-names > li.me').waitFor();
  return opened;
};

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
  height: number;
}
/** The few browser globals these tests read (the project compiles without lib.dom). */
interface Globals {
  innerWidth: number;
  innerHeight: number;
  document: {
    documentElement: { scrollWidth: number };
    activeElement: { id: string } | null;
    querySelector(selector: string): { getBoundingClientRect(): Box } | null;
  };
  getComputedStyle(node: unknown): { backgroundColor: string };
}

/** What the tests measure of the page, in CSS pixels. */
const geometry = (page: Page) =>
  page.evaluate(() => {
    const view = globalThis as unknown as Globals;
    const doc = view.document;
    const box = (selector: string) => doc.querySelector(selector)?.getBoundingClientRect();
    const log = box('#log');
    const header = box('#chat-view > header');
    return {
      headerHeight: header?.height ?? 0,
      overflowX: doc.documentElement.scrollWidth - view.innerWidth,
      /** The part of the message list on screen. */
      logVisible: log ? Math.min(log.bottom, view.innerHeight) - Math.max(log.top, 0) : 0,
      viewportHeight: view.innerHeight,
    };
  });

const screenshot = async (page: Page, file: string) => {
  await mkdir('test-artifacts', { recursive: true });
  await page.screenshot({ path: `test-artifacts/${file}` });
};

describe('the page on a phone', () => {
  it('keeps the header to one line, with the status as a dot and your name and Leave in a menu', async () => {
    const { page, watch } = await openPhone('Carol');
    // README.md's docs/screenshot-phone.png is a copy of this one, made again with
    // `npx vitest run test/client/phone-layout.test.ts && cp test-artifacts/client-phone.png docs/screenshot-phone.png`.
    await page.locator('#input').fill('See you at the launch!');
    await screenshot(page, 'client-phone.png');
    const shape = await geometry(page);
    expect(shape.headerHeight).toBeLessThanOrEqual(56);
    expect(shape.overflowX).toBeLessThanOrEqual(0);
    // The status's words are not shown beside the dot, but they are its accessible name.
    expect((await page.locator('#status-text').boundingBox())?.width).toBeLessThanOrEqual(1);
    const status = (await page.locator('#status-text').textContent()) ?? '';
    expect(status).toBe('Live');
    expect(await page.locator('#leave').isVisible()).toBe(false);

    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#me').textContent()).toBe('as Carol');
    expect(await page.locator('#me').isVisible()).toBe(true);
    expect(await page.locator('#header-menu .menu-status').textContent()).toBe(status);
    await screenshot(page, 'client-phone-menu.png');
    await page.keyboard.press('Escape');
    expect(await page.locator('#leave').isVisible()).toBe(false);
    expect(
      await page.evaluate(() => (globalThis as unknown as Globals).document.activeElement?.id),
    ).toBe('menu-button');

    await menu.click();
    await page.locator('#leave').click();
    await page.locator('#join-view').waitFor({ state: 'visible' });
    expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
  });

  it('opens the whole list of people, names unbroken, from the count', async () => {
    const { page } = await openPhone('Dmitri Alexandrovich');
    const count = page.locator('#presence-count');
    expect(await count.getAttribute('aria-expanded')).toBe('false');
    await count.click();
    expect(await count.getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'client-phone-people.png');
    // Each name whole and on screen: nothing cut off by the list or the screen's edge.
    const names = await page.locator('#presence-names > li').evaluateAll((items) =>
      items.map((li) => {
        const list = li.parentElement?.getBoundingClientRect();
        const at = li.getBoundingClientRect();
        const inside =
          list !== undefined &&
          at.left >= list.left - 0.5 &&
          at.right <= list.right + 0.5 &&
          at.top >= list.top - 0.5 &&
          at.bottom <= list.bottom + 0.5 &&
          at.right <= (globalThis as unknown as { innerWidth: number }).innerWidth;
        return { text: li.textContent, whole: li.scrollWidth <= li.clientWidth, inside };
      }),
    );
    expect(names).toEqual(
      ['Alexandra Konstantinopoulou', 'Alice', 'Dmitri Alexandrovich'].map((text) => ({
        text,
        whole: true,
        inside: true,
      })),
    );
    expect((await geometry(page)).overflowX).toBeLessThanOrEqual(0);
    await count.click();
    expect(await count.getAttribute('aria-expanded')).toBe('false');
    await page.context().close();
  });

  it('keeps at least half of a short screen for messages while a long draft is typed', async () => {
    const { page } = await openPhone('Erin', KEYBOARD_UP);
    const draft = Array.from({ length: 14 }, (_, n) => `line ${n + 1} of a long draft`).join('\n');
    await page.locator('#input').fill(draft);
    await page.locator('#input').focus();
    await screenshot(page, 'client-phone-keyboard.png');
    const shape = await geometry(page);
    expect(shape.logVisible).toBeGreaterThanOrEqual(shape.viewportHeight / 2);
    expect(shape.headerHeight).toBeLessThanOrEqual(56);
    expect(shape.overflowX).toBeLessThanOrEqual(0);
    // The draft is all there, scrolling inside the composer.
    expect(await page.locator('#input').inputValue()).toBe(draft);
    await page.context().close();
  });

  it('renders in dark mode with the same one-line header', async () => {
    const { page } = await openPhone('Frank', PHONE, 'dark');
    await screenshot(page, 'client-phone-dark.png');
    const background = await page.evaluate(() => {
      const view = globalThis as unknown as Globals;
      return view.getComputedStyle(view.document.querySelector('#chat-view > header'))
        .backgroundColor;
    });
    expect(background).toBe('rgb(25, 29, 35)');
    expect((await geometry(page)).headerHeight).toBeLessThanOrEqual(56);
    await page.context().close();
  });
});
