import { describe, expect, it } from 'vitest';
import { useChatPages } from './chat-pages.js';
import { waitLive } from './page-model.js';

// Room for one: the second page's connect is refused with 409 until the first leaves.
const { server, browser } = useChatPages({ ROOM_MEMBERS_MAX: '1' });

describe('joining a full room', () => {
  it('says the room may be full, keeps trying, and gets in once someone leaves', async () => {
    const first = await browser.open(server.pageUrl({ room: 'tiny', name: 'first' }));
    await waitLive(first.page);
    const second = await browser.open(server.pageUrl({ room: 'tiny', name: 'second' }));
    const banner = second.page.locator('#link-banner');
    await banner.filter({ hasText: 'may be full' }).waitFor();
    expect(await banner.textContent()).toMatch(
      /cannot be reached\. The room “tiny” may be full \(the server lets more in as others leave\)\. Still trying…$/,
    );
    await second.page.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });

    await first.page.close();
    // Past the refusals' back-off: the user asks at once, as the page offers while it waits (if
    // its own next try has not already got in).
    const retryNow = second.page.locator('#retry-now');
    if (await retryNow.isVisible()) await retryNow.click({ timeout: 1_000 }).catch(() => undefined);
    await waitLive(second.page);
    expect(second.watch.errors).toEqual([]);
  });
});
