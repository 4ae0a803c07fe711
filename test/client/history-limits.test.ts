import { describe, expect, it } from 'vitest';
import { useChatPages } from './chat-pages.js';
import { shownMessages, waitForText } from './page-model.js';

// History per connection: 100 messages at once, nothing refilled while the test runs.
const { server, browser } = useChatPages({ HISTORY_PER_MINUTE: '0.01', HISTORY_BURST: '100' });
const room = 'rationed';

interface Shown {
  document: { querySelector(selector: string): unknown };
}

describe('history over its budget', () => {
  it('says older messages are limited for a moment, and leaves the page usable', async () => {
    await server.seed(room, 300);
    const { page } = await browser.open(server.pageUrl({ room, name: 'reader' }));
    await waitForText(page, 'message 300');
    const first = async () => (await shownMessages(page))[0]?.seq ?? 0;
    // Two pages of 50 fit the budget; the third is refused.
    for (const expected of [201, 151]) {
      await page.locator('#load-older').click();
      await page.waitForFunction(
        (seq) =>
          (globalThis as unknown as Shown).document.querySelector(
            `#messages > li[data-seq="${seq}"]`,
          ) !== null,
        expected,
      );
    }
    expect(await first()).toBe(151);
    await page.locator('#load-older').click();
    await page.getByText('Older messages are limited for a moment').waitFor();
    expect(await page.locator('#loading-older').isVisible()).toBe(false);
    expect(await page.locator('#load-older').isVisible()).toBe(true);
    expect(await first()).toBe(151);
  });
});
