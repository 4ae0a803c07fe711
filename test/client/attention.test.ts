import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useChatPages } from './chat-pages.js';
import { say, waitForText, waitLive } from './page-model.js';

const { server, browser } = useChatPages();

/** What the page did with notifications, as the init script below records it. */
interface Recorded {
  asked: number;
  shown: { title: string; body: string }[];
  closed: number;
}

/** The browser globals the init script and the tests use (the project compiles without lib.dom). */
interface NotifyGlobals {
  __notify: Recorded;
  Notification: new (title: string, options?: { body?: string }) => { close(): void };
  document: { hidden: boolean; dispatchEvent(event: unknown): boolean };
  Event: new (type: string) => unknown;
}

/** In the page, before its script: counts permission requests, notifications and closes. */
const recordNotifications = () => {
  const g = globalThis as unknown as NotifyGlobals;
  const recorded: Recorded = { asked: 0, shown: [], closed: 0 };
  g.__notify = recorded;
  const Real = g.Notification as unknown as {
    new (title: string, options?: { body?: string }): { close(): void };
    requestPermission(): Promise<string>;
  };
  class Watched extends Real {
    constructor(title: string, options?: { body?: string }) {
      super(title, options);
      recorded.shown.push({ title, body: options?.body ?? '' });
    }
    override close() {
      recorded.closed++;
      super.close();
    }
    static override requestPermission() {
      recorded.asked++;
      return Real.requestPermission();
    }
  }
  g.Notification = Watched;
};

/** Opens `name`'s page in `room`, recording notifications, with notifications allowed or not. */
const openWatched = async (room: string, name: string, allowed: boolean) => {
  const url = server.pageUrl({ room, name });
  const opened = await browser.open(url);
  const context = opened.page.context();
  if (allowed) await context.grantPermissions(['notifications'], { origin: new URL(url).origin });
  await context.addInitScript(recordNotifications);
  await opened.page.reload();
  await waitLive(opened.page);
  return opened;
};

const recorded = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as NotifyGlobals).__notify);

/** The tab is hidden (another tab in front, the window minimised) or shown again. */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((hidden) => {
    const g = globalThis as unknown as NotifyGlobals;
    Object.defineProperty(g.document, 'hidden', { configurable: true, get: () => hidden });
    Object.defineProperty(g.document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    });
    g.document.dispatchEvent(new g.Event('visibilitychange'));
  }, hidden);

describe('a message arriving in a hidden tab', () => {
  it('asks for notifications only when the user clicks Notify me, never on load', async () => {
    const { page, watch } = await openWatched('ask', 'bob', false);
    const notify = page.locator('#composer-foot').getByRole('button', { name: 'Notify me' });
    expect(await page.locator('#composer-foot').ariaSnapshot()).toContain('- button "Notify me"');
    await say(page, 'hello');
    await waitForText(page, 'hello');
    expect((await recorded(page)).asked).toBe(0);

    await notify.click();
    await expect.poll(async () => (await recorded(page)).asked).toBe(1);
    expect(watch.errors).toEqual([]);
  });

  it('bumps a count in the title and shows a notification; both go when the tab is seen', async () => {
    const room = 'attention';
    const alice = await browser.open(server.pageUrl({ room, name: 'alice' }));
    const bob = await openWatched(room, 'bob', true);
    await waitLive(alice.page);
    // Who is here comes after the replay's history: from now on alice's messages reach bob live,
    // not in his replay (which the title does not count).
    await bob.page.locator('#presence-count').waitFor({ state: 'visible' });
    // Allowed already: nothing to ask.
    expect(await bob.page.locator('#notify').isHidden()).toBe(true);
    const title = `#${room} · Chat`;
    expect(await bob.page.title()).toBe(title);

    await setHidden(bob.page, true);
    await say(alice.page, 'are you there?');
    await waitForText(bob.page, 'are you there?');
    await say(alice.page, '**hello?**');
    await waitForText(bob.page, 'hello?');
    expect(await bob.page.title()).toBe(`(2) ${title}`);
    expect(await recorded(bob.page)).toEqual({
      asked: 0,
      shown: [
        { title: `alice in #${room}`, body: 'are you there?' },
        { title: `alice in #${room}`, body: '**hello?**' },
      ],
      closed: 0,
    });

    await setHidden(bob.page, false);
    expect(await bob.page.title()).toBe(title);
    expect((await recorded(bob.page)).closed).toBeGreaterThan(0);

    // In sight, a message needs neither.
    await say(alice.page, 'there you are');
    await waitForText(bob.page, 'there you are');
    expect(await bob.page.title()).toBe(title);
    expect((await recorded(bob.page)).shown).toHaveLength(2);
    expect(bob.watch.errors).toEqual([]);
  });

  it('notifies of others’ messages only, not of the user’s own from another tab', async () => {
    const room = 'own-attention';
    const bob = await openWatched(room, 'bob', true);
    const otherTab = await browser.open(server.pageUrl({ room, name: 'bob' }), {
      localStorage: await bob.page.evaluate(() => {
        const storage = (globalThis as unknown as { localStorage: Record<string, string> })
          .localStorage;
        return { ...storage };
      }),
    });
    await waitLive(otherTab.page);
    await setHidden(bob.page, true);
    await say(otherTab.page, 'from my phone');
    await waitForText(bob.page, 'from my phone');
    const carol = await browser.open(server.pageUrl({ room, name: 'carol' }));
    await waitLive(carol.page);
    await say(carol.page, 'hi bob');
    await waitForText(bob.page, 'hi bob');
    expect((await recorded(bob.page)).shown).toEqual([
      { title: `carol in #${room}`, body: 'hi bob' },
    ]);
  });
});
