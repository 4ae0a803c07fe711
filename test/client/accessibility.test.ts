import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './axe.js';
import { listenerAndSender, stopAfterEach, useChatPages } from './chat-pages.js';
import { contrastRatio, focusRing } from './contrast.js';
import { startFlakyNetwork } from './flaky-network.js';
import {
  messageItem,
  pauseClock,
  say,
  typeUntilShown,
  typingLine,
  waitForText,
  waitLive,
} from './page-model.js';
import {
  ids,
  MODERATOR,
  message,
  openScripted,
  presence,
  replay,
  sessionFrame,
} from './scripted-pages.js';

const { server, browser } = useChatPages({ TYPING_INTERVAL_MS: '1500' });
const stopLater = stopAfterEach();

const PHONE = { width: 390, height: 844 };

/** Every axe-core violation of any impact, named by the state the page is in. */
const expectClean = async (page: Page, state: string) =>
  expect(await axeViolations(page), state).toEqual([]);

/**
 * The same on a page whose clock stands still (`pauseClock`): axe-core waits on timers of its
 * own, so the clock is moved on a millisecond at a time until it is done.
 */
const expectCleanPaused = async (page: Page, state: string) => {
  let done = false;
  const found = axeViolations(page).finally(() => {
    done = true;
  });
  while (!done) await page.clock.runFor(1);
  expect(await found, state).toEqual([]);
};

/** The ids of the main landmarks a screen reader finds (hidden ones are not found). */
const mains = (page: Page) =>
  page.getByRole('main').evaluateAll((found) => found.map((main) => main.id));

/** Two people live in `room`, each having said something; `options` for bob's page. */
const aliceAndBob = async (room: string, options: Parameters<typeof browser.open>[1] = {}) => {
  const alice = (await browser.open(server.pageUrl({ room, name: 'alice' }), options)).page;
  const bob = (await browser.open(server.pageUrl({ room, name: 'bob' }), options)).page;
  await Promise.all([waitLive(alice), waitLive(bob)]);
  await say(alice, 'hello from alice');
  await waitForText(bob, 'hello from alice');
  await say(bob, 'hi alice, see https://example.com/notes');
  await waitForText(alice, 'hi alice, see https://example.com/notes');
  return { alice, bob };
};

/** Opens the inline editor of message `seq` as the page offers it (from its actions menu). */
const startEditing = async (page: Page, seq: number, whileOpen: () => Promise<void>) => {
  const item = messageItem(page, seq);
  await item.hover();
  const edit = item.getByRole('button', { name: 'Edit this message' });
  if ((await edit.count()) > 0) await edit.click();
  else {
    await item.locator('.tools button').first().click();
    await whileOpen();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
  }
  await item.locator('.edit-form textarea').waitFor();
};

describe('accessibility', () => {
  it('keeps one main landmark, with the composer inside it, on the join form and in the room', async () => {
    const { page } = await browser.open(server.pageUrl({ room: 'landmarks' }));
    expect(await mains(page)).toEqual(['join-view']);
    await expectClean(page, 'the join form');

    await page.locator('#join-name').fill('alice');
    await page.locator('#join-button').click();
    await waitLive(page);
    expect(await mains(page)).toEqual(['chat-main']);
    const main = page.getByRole('main');
    expect(await main.locator('#log').count()).toBe(1);
    expect(await main.getByRole('textbox', { name: 'Message' }).count()).toBe(1);
    await expectClean(page, 'joined');
  });

  it('has no violations joined, while someone types, with a message’s actions open, and editing', async () => {
    const { alice, bob } = await aliceAndBob('a11y-joined');
    const dark = (
      await browser.open(server.pageUrl({ room: 'a11y-joined', name: 'dee' }), {
        colorScheme: 'dark',
      })
    ).page;
    await waitForText(dark, 'hi alice, see https://example.com/notes');
    await expectClean(alice, 'joined');
    await expectClean(dark, 'joined, dark');

    // The indicator stays while the clock stands still, however long axe takes.
    await pauseClock(alice);
    await pauseClock(dark);
    await pauseClock(bob);
    await typeUntilShown(bob, [alice, dark], 'bob is typing…');
    await expectCleanPaused(alice, 'someone typing');
    await expectCleanPaused(dark, 'someone typing, dark');
    expect(await typingLine(alice)).toBe('bob is typing…');
    await alice.clock.resume();

    await startEditing(alice, 1, () => expectClean(alice, 'a message’s actions open'));
    await expectClean(alice, 'editing a message');
  });

  it('has no violations offline, with a draft waiting and the people list stale, light and dark', async () => {
    const { alice } = await aliceAndBob('a11y-offline');
    const dark = (
      await browser.open(server.pageUrl({ room: 'a11y-offline', name: 'dee' }), {
        colorScheme: 'dark',
      })
    ).page;
    await waitLive(dark);
    for (const page of [alice, dark]) {
      await page.context().setOffline(true);
      await page.locator('#status[data-state="offline"]').waitFor({ state: 'attached' });
      await say(page, 'written on the train');
      await page.locator('#pending > li').waitFor();
      await page.locator('#presence[data-stale]').waitFor({ state: 'attached' });
    }
    await expectClean(alice, 'offline');
    await expectClean(dark, 'offline, dark');
  });

  it('has no violations while reconnecting, before and after it says so', async () => {
    const network = stopLater(await startFlakyNetwork(server.wsUrl));
    const { listener } = await listenerAndSender(browser, server, 'a11y-reconnect', network.wsUrl);
    await pauseClock(listener);
    network.cut();
    await listener.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });
    await expectCleanPaused(listener, 'reconnecting');
    // Past the pause before the page says the server is unreachable.
    await listener.clock.runFor(10_000);
    await expectCleanPaused(listener, 'reconnecting, said');
  });

  it('has no violations in a moderator’s room panel and member dialog', async () => {
    const { page } = await openScripted(browser, server, stopLater, 'mod', [
      sessionFrame(ids.mod, 'mod', MODERATOR),
      replay([
        message(1, 'troll', 'buy my stuff', ids.troll),
        message(2, 'mod', 'welcome', ids.mod),
      ]),
      presence([
        { userId: ids.mod, name: 'mod' },
        { userId: ids.troll, name: 'troll' },
      ]),
    ]);
    await waitForText(page, 'welcome');
    await page.locator('#moderate').click();
    await page.locator('#room-panel').waitFor();
    await expectClean(page, 'the room panel');
    await page.getByRole('button', { name: 'Moderate troll' }).click();
    await page.locator('#member-panel').waitFor();
    await expectClean(page, 'the member dialog');
  });

  it('has no violations on a 390×844 phone, light and dark', async () => {
    const light = await aliceAndBob('a11y-phone', { viewport: PHONE });
    const dark = (
      await browser.open(server.pageUrl({ room: 'a11y-phone', name: 'dee' }), {
        viewport: PHONE,
        colorScheme: 'dark',
      })
    ).page;
    await waitForText(dark, 'hi alice, see https://example.com/notes');
    await expectClean(light.alice, 'phone');
    await expectClean(dark, 'phone, dark');
  });

  it('draws the focus ring at 3:1 or more against what is around it, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const join = (await browser.open(server.pageUrl({ room: 'rings' }), { colorScheme })).page;
      const joined = (
        await browser.open(server.pageUrl({ room: 'rings', name: 'ann' }), { colorScheme })
      ).page;
      await waitLive(joined);
      await joined.locator('#input').fill('ready');
      for (const [page, selector] of [
        [join, '#join-button'],
        [joined, '#send'],
      ] as const) {
        const ring = await focusRing(page, selector);
        expect(ring, `${selector}, ${colorScheme}`).toMatchObject({
          focusVisible: true,
          style: 'solid',
        });
        expect(ring.width, `${selector}, ${colorScheme}`).toBeGreaterThanOrEqual(2);
        expect(
          contrastRatio(ring.colour, ring.behind),
          `${selector}, ${colorScheme}: ${ring.colour} on ${ring.behind}`,
        ).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('reads a day’s name as a heading of its own, not run into the first sender’s name', async () => {
    const { page } = await browser.open(server.pageUrl({ room: 'days', name: 'alice' }));
    await waitLive(page);
    await say(page, 'first words today');
    await waitForText(page, 'first words today');
    const read = await messageItem(page, 1).ariaSnapshot();
    expect(read).toContain('- heading "Today" [level=2]');
    expect(read).not.toMatch(/Today\s*alice/);
  });
});
