import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useChatPages } from './chat-pages.js';
import { say, shownMessages, waitForText, waitLive } from './page-model.js';

const { server, browser } = useChatPages();
const room = 'archive';

beforeAll(() => server.seed(room, 300));

interface LogGlobals {
  document: {
    getElementById(id: string): { scrollTop: number; scrollHeight: number; clientHeight: number };
    querySelector(selector: string): { getBoundingClientRect(): { top: number } } | null;
  };
}

/** Sets the message log's scroll position; a negative value counts from the bottom. */
const scrollLogTo = (page: Page, top: number) =>
  page.evaluate((top) => {
    const log = (globalThis as unknown as LogGlobals).document.getElementById('log');
    log.scrollTop = top >= 0 ? top : log.scrollHeight - log.clientHeight + top;
    return log.scrollTop;
  }, top);

/** Where a message sits relative to the top of the log's viewport, in CSS pixels. */
const offsetInLog = (page: Page, seq: number) =>
  page.evaluate((seq) => {
    const { document } = globalThis as unknown as LogGlobals;
    const item = document.querySelector(`#messages > li[data-seq="${seq}"] .bubble`);
    const log = document.querySelector('#log');
    if (!item || !log) throw new Error(`message ${seq} is not shown`);
    return Math.round(item.getBoundingClientRect().top - log.getBoundingClientRect().top);
  }, seq);

const firstSeq = async (page: Page) => (await shownMessages(page))[0]?.seq ?? 0;

describe('history', () => {
  it('shows the last 50 messages on joining, and older ones page by page up to the first', async () => {
    const { page } = await browser.open(server.pageUrl({ room, name: 'reader' }));
    await waitForText(page, 'message 300');
    expect((await shownMessages(page)).map((m) => m.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => 251 + i),
    );
    expect(await page.locator('#beginning').isVisible()).toBe(false);

    let pages = 0;
    while (!(await page.locator('#beginning').isVisible())) {
      const before = await firstSeq(page);
      await scrollLogTo(page, 0);
      await page.waitForFunction((before) => {
        const { document } = globalThis as unknown as LogGlobals;
        const first = document.querySelector('#messages > li') as unknown as {
          dataset: { seq: string };
        };
        return Number(first.dataset.seq) < before;
      }, before);
      pages++;
      expect(pages).toBeLessThanOrEqual(5);
    }

    const shown = await shownMessages(page);
    expect(shown.map((m) => m.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(shown[0]?.text).toBe('message 1');
    expect(await page.locator('#beginning').textContent()).toBe(
      'This is the beginning of #archive.',
    );
    expect(await page.locator('#load-older').isVisible()).toBe(false);
  });

  it('keeps the message being read in place while older ones are added above it', async () => {
    const { page } = await browser.open(server.pageUrl({ room, name: 'reader' }));
    await waitForText(page, 'message 300');
    // Scrolled and measured in one task: no frame of the older page can be handled in between,
    // so the offset is the one the reader saw before anything was added above.
    const { anchor, offset } = await page.evaluate(() => {
      const { document } = globalThis as unknown as LogGlobals;
      const log = document.getElementById('log');
      log.scrollTop = 0;
      const first = document.querySelector('#messages > li') as unknown as {
        dataset: { seq: string };
        querySelector(selector: string): { getBoundingClientRect(): { top: number } };
      };
      const top = first.querySelector('.bubble').getBoundingClientRect().top;
      const logTop = document.querySelector('#log')?.getBoundingClientRect().top ?? 0;
      return { anchor: Number(first.dataset.seq), offset: Math.round(top - logTop) };
    });
    expect(anchor).toBe(251);
    await page.locator(`#messages > li[data-seq="${anchor - 1}"]`).waitFor({ state: 'attached' });
    // The page did grow above the anchor, and the anchor stayed where it was.
    expect(await firstSeq(page)).toBeLessThan(anchor);
    expect(Math.abs((await offsetInLog(page, anchor)) - offset)).toBeLessThanOrEqual(1);
  });

  it('stays where the reader scrolled and offers a "new messages" pill instead', async () => {
    const reader = await browser.open(server.pageUrl({ room, name: 'reader' }));
    const writer = await browser.open(server.pageUrl({ room, name: 'writer' }));
    await Promise.all([waitLive(reader.page), waitLive(writer.page)]);
    await waitForText(reader.page, 'message 300');
    const top = await scrollLogTo(reader.page, -600);
    const anchorOffset = await offsetInLog(reader.page, 280);

    await say(writer.page, 'are you there?');
    await waitForText(reader.page, 'are you there?');
    const pill = reader.page.locator('#new-pill');
    await pill.waitFor({ state: 'visible' });
    expect(await pill.textContent()).toBe('1 new message ↓');
    expect(await scrollLogTo(reader.page, top)).toBe(top);
    expect(await offsetInLog(reader.page, 280)).toBe(anchorOffset);

    await pill.click();
    await pill.waitFor({ state: 'hidden' });
    const last = reader.page.locator('#messages > li').last();
    expect(await last.locator('.bubble').textContent()).toBe('are you there?');
    expect(await last.isVisible()).toBe(true);
    expect(
      await reader.page.evaluate(() => {
        const log = (globalThis as unknown as LogGlobals).document.getElementById('log');
        return log.scrollHeight - log.scrollTop - log.clientHeight;
      }),
    ).toBeLessThan(2);
  });
});
