import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useChatPages } from './chat-pages.js';
import { say, shownMembers, shownMessages, waitForText, waitLive } from './page-model.js';

const { server, browser } = useChatPages();

/** The query of the socket the page opened. */
const socketQuery = (page: Page) =>
  page.evaluate(() => {
    const hook = (globalThis as unknown as { __chat: { socket: { url: string } | null } }).__chat;
    return new URL(hook.socket?.url ?? 'ws://none').search;
  });

describe('names with spaces and other scripts', () => {
  it('arrive exactly as typed: in the sender line, as your own, and in the member list', async () => {
    const room = 'names-round-trip';
    const max = 'Maximilian Alexander';
    const yamada = '山田 太郎 Ωμέγα';
    const first = await browser.open(server.pageUrl({ room, name: max }));
    const second = await browser.open(server.pageUrl({ room, name: yamada }));
    await Promise.all([waitLive(first.page), waitLive(second.page)]);

    await say(first.page, 'hello from max');
    await say(second.page, 'こんにちは');
    for (const { page } of [first, second]) await waitForText(page, 'こんにちは');
    await waitForText(first.page, 'hello from max');
    await waitForText(second.page, 'hello from max');

    const own = (messages: Awaited<ReturnType<typeof shownMessages>>) =>
      messages.map(({ sender, own }) => ({ sender, own }));
    expect(own(await shownMessages(first.page))).toEqual([
      { sender: max, own: true },
      { sender: yamada, own: false },
    ]);
    expect(own(await shownMessages(second.page))).toEqual([
      { sender: max, own: false },
      { sender: yamada, own: true },
    ]);
    const names = async (page: Page) => (await shownMembers(page)).map(({ name }) => name).sort();
    await expect.poll(() => names(first.page)).toEqual([max, yamada].sort());
    await expect.poll(() => names(second.page)).toEqual([max, yamada].sort());
    expect(first.watch.errors).toEqual([]);
  });

  it('go to the server percent-encoded, a space as %20 and a plus as %2B, never as +', async () => {
    const { page } = await browser.open(server.pageUrl({ room: 'names-query', name: 'C++ fan' }));
    await waitLive(page);
    const query = await socketQuery(page);
    expect(query).toContain('name=C%2B%2B%20fan');
    expect(query).not.toMatch(/\+/);
  });
});
