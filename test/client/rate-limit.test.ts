import { describe, expect, it } from 'vitest';
import { useChatPages } from './chat-pages.js';
import { say, shownMessages, waitLive, waitNothingPending } from './page-model.js';

// One message a second, no burst: the second of three quick messages is refused at once.
const { server, browser } = useChatPages({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '1' });

describe('sending faster than the room allows', () => {
  it('tells the user in plain words and delivers every message once, in order, when allowed', async () => {
    const { page } = await browser.open(server.pageUrl({ room: 'slow-down', name: 'speedy' }));
    await waitLive(page);
    await say(page, 'first');
    await say(page, 'second');
    await say(page, 'third');
    await page.locator('#notice-text').filter({ hasText: 'faster than the room allows' }).waitFor();
    await waitNothingPending(page);
    const shown = await shownMessages(page);
    expect(shown.map((m) => [m.seq, m.text])).toEqual([
      [1, 'first'],
      [2, 'second'],
      [3, 'third'],
    ]);
    expect((await server.store.readAfter('slow-down', 0, 10)).messages).toHaveLength(3);
  });
});
