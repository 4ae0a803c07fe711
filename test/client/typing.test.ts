import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stopAfterEach, useChatPages } from './chat-pages.js';
import { pauseClock, typeUntilShown, typingLine, waitForText, waitLive } from './page-model.js';
import { startWsRelay } from './ws-relay.js';

// A typing frame is shown for 2 × 1.5 s without a new one.
const SHOWN_MS = 3_000;
const { server, browser } = useChatPages({ TYPING_INTERVAL_MS: '1500' });
const stopLater = stopAfterEach();

/**
 * A page live in `room`. Its clock stands still: a name it shows stays until the test moves the
 * clock on, so no wait on a loaded machine can outlast a typing frame.
 */
const openAs = async (room: string, name: string) => {
  const { page } = await browser.open(server.pageUrl({ room, name }));
  await waitLive(page);
  await pauseClock(page);
  return page;
};

const waitTyping = (page: Page, text: string) =>
  expect.poll(() => typingLine(page), { timeout: 15_000 }).toBe(text);

/** Types into the composer key by key, as a person does. */
const typeSome = (page: Page, text: string) => page.locator('#input').pressSequentially(text);

/**
 * Records, in the page, what its live regions hold after each change to them: what a screen
 * reader would read out, change by change.
 */
const recordAnnouncements = (page: Page) =>
  page.evaluate(() => {
    interface Node {
      nodeType: number;
      parentElement: Node | null;
      textContent: string | null;
      closest(selector: string): Node | null;
    }
    const g = globalThis as unknown as {
      __said: string[];
      document: { body: Node };
      MutationObserver: new (
        seen: (records: { target: Node }[]) => void,
      ) => { observe(node: Node, options: Record<string, boolean>): void };
    };
    const live =
      '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]';
    g.__said = [];
    new g.MutationObserver((records) => {
      const regions = new Set<Node>();
      for (const { target } of records) {
        const region = (target.nodeType === 1 ? target : target.parentElement)?.closest(live);
        if (region) regions.add(region);
      }
      for (const region of regions) {
        const text = region.textContent?.trim();
        if (text) g.__said.push(text);
      }
    }).observe(g.document.body, { childList: true, characterData: true, subtree: true });
  });

/** What the page's live regions said about typing since `recordAnnouncements`. */
const saidOfTyping = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as { __said: string[] }).__said.filter((s) => s.includes('typing')),
  );

describe('who is typing', () => {
  it('shows the typist on the other pages, not on its own, until the typist stops', async () => {
    const room = 'typing';
    const alice = await openAs(room, 'alice');
    const bob = await openAs(room, 'bob');
    const carol = await openAs(room, 'carol');
    await typeSome(alice, 'hel');
    await waitTyping(bob, 'alice is typing…');
    await waitTyping(carol, 'alice is typing…');
    expect(await typingLine(alice)).toBe('');

    // Alice stops typing: the indicator stays for as long as her frame says, and then goes.
    await bob.clock.runFor(SHOWN_MS - 1);
    expect(await typingLine(bob)).toBe('alice is typing…');
    await bob.clock.runFor(1);
    expect(await typingLine(bob)).toBe('');
    await carol.clock.runFor(SHOWN_MS);
    expect(await typingLine(carol)).toBe('');
  });

  it('clears the indicator the moment the typist’s message arrives', async () => {
    const room = 'typed';
    const alice = await openAs(room, 'alice');
    const bob = await openAs(room, 'bob');
    await typeSome(alice, 'on my way');
    await waitTyping(bob, 'alice is typing…');
    await alice.locator('#input').press('Enter');
    await waitForText(bob, 'on my way');
    expect(await typingLine(bob)).toBe('');
  });

  it('names two typists, and says several for three', async () => {
    const room = 'crowd';
    const pages = await Promise.all(['ann', 'ben', 'cat', 'dan'].map((n) => openAs(room, n)));
    const [ann, ben, cat, dan] = pages as [Page, Page, Page, Page];
    await typeSome(ann, 'a');
    await waitTyping(dan, 'ann is typing…');
    await typeSome(ben, 'b');
    await waitTyping(dan, 'ann and ben are typing…');
    await typeSome(cat, 'c');
    await waitTyping(dan, 'several people are typing…');
    await waitTyping(ann, 'ben and cat are typing…');
  });

  it('tells a screen reader once that someone started typing, not at every frame or name', async () => {
    const room = 'spoken';
    const [ann, ben, cat, dan] = (await Promise.all(
      ['ann', 'ben', 'cat', 'dan'].map((n) => openAs(room, n)),
    )) as [Page, Page, Page, Page];
    await recordAnnouncements(dan);
    await typeSome(ann, 'a');
    await waitTyping(dan, 'ann is typing…');
    // Ann keeps typing past her page's pause between frames: a second frame for the same name.
    await ann.clock.runFor(2_600);
    await typeSome(ann, 'b');
    await typeSome(ben, 'b');
    await waitTyping(dan, 'ann and ben are typing…');
    await typeSome(cat, 'c');
    await waitTyping(dan, 'several people are typing…');
    // Everyone stops; someone starting again is news again.
    await dan.clock.runFor(SHOWN_MS);
    await waitTyping(dan, '');
    await typeUntilShown(ben, [dan], 'ben is typing…');

    expect(await saidOfTyping(dan)).toEqual(['ann is typing…', 'ben is typing…']);
    // The line on screen is not live itself: it changes with every name.
    expect(await dan.locator('#typing').getAttribute('aria-live')).toBeNull();
    expect(await dan.locator('#typing').getAttribute('role')).toBeNull();
  });

  it('clears the typist when it leaves', async () => {
    const room = 'gone';
    const alice = await openAs(room, 'alice');
    const bob = await openAs(room, 'bob');
    await typeSome(alice, 'brb');
    await waitTyping(bob, 'alice is typing…');
    await alice.close();
    await waitTyping(bob, '');
  });

  it('says it is typing once for a burst of keys, and never for an empty composer', async () => {
    const relay = stopLater(await startWsRelay(server.wsUrl));
    const { page } = await browser.open(server.pageUrl({ room: 'quiet', name: 'quinn' }), {
      webSocketUrl: relay.wsUrl,
    });
    await waitLive(page);
    await page.clock.install();
    await typeSome(page, '   ');
    // Past the page's own pause between typing frames: one sent for the spaces would not hold
    // back the next.
    await page.clock.fastForward(2_600);
    await page.locator('#input').fill('');
    await typeSome(page, 'a quick burst of keys');
    await page.locator('#input').press('Enter');
    await waitForText(page, 'a quick burst of keys');

    expect(relay.fromBrowser.map((f) => f.action)).toEqual(['typing', 'sendmessage']);
  });
});
