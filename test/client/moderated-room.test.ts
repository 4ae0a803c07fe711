import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useChatPages } from './chat-pages.js';
import {
  editMessage,
  say,
  shownEvents,
  shownMembers,
  shownMessages,
  shownRules,
  shownStates,
  waitForText,
  waitLive,
  waitNothingPending,
} from './page-model.js';

// The real chat, with one moderator key (as `npm start -- --moderator-key KEY` sets it) and the
// review policy an operator might write: "spam" is turned down, the rest goes through.
const moderatorKey = randomBytes(32).toString('base64url');
const { server, browser } = useChatPages(
  { MODERATOR_KEYS: moderatorKey, REVIEW_TIMEOUT_MS: '10000' },
  { review: 'test/local/fixtures/review.ts#policy' },
);

const storedKey = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as { localStorage: Storage }).localStorage.getItem('chat.key'),
  );

const retrying = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __chat: { retrying: boolean } }).__chat.retrying);

const noticeText = (page: Page) => page.locator('#notice-text').textContent();

describe('a room with owners and moderators, on the real chat', () => {
  it('keeps a page its messages’ author across a reload, and gives another browser under its name no controls', async () => {
    const room = 'owned';
    const alice = await browser.open(server.pageUrl({ room, name: 'alice' }));
    await waitLive(alice.page);
    await say(alice.page, 'mine to change');
    await waitNothingPending(alice.page);
    const key = await storedKey(alice.page);

    await alice.page.reload();
    await waitLive(alice.page);
    await waitForText(alice.page, 'mine to change');
    expect(await storedKey(alice.page)).toBe(key);
    expect((await shownStates(alice.page)).map((m) => m.tools)).toEqual([true]);
    await editMessage(alice.page, 1, 'changed after a reload');
    await waitForText(alice.page, 'changed after a reload');

    const impostor = await browser.open(server.pageUrl({ room, name: 'alice' }));
    await waitLive(impostor.page);
    await waitForText(impostor.page, 'changed after a reload');
    expect(await shownMessages(impostor.page)).toEqual([
      { seq: 1, sender: 'alice', text: 'changed after a reload', own: false },
    ]);
    expect((await shownStates(impostor.page)).map((m) => m.tools)).toEqual([false]);
    // Two people named alice: each is told apart by the start of their id.
    await expect.poll(async () => (await shownMembers(impostor.page)).length).toBe(2);
    const members = await shownMembers(impostor.page);
    expect(members.map((m) => m.name)).toEqual(['alice', 'alice']);
    expect(members.every((m) => /^[A-Za-z0-9_-]{4,}$/.test(m.fingerprint))).toBe(true);
    expect(new Set(members.map((m) => m.fingerprint)).size).toBe(2);
    for (const { watch } of [alice, impostor]) {
      expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    }
  });

  it('lets a moderator ban someone from the member list: the banned page says why and stays out, and everyone sees it', async () => {
    const room = 'moderated';
    const mod = await browser.open(server.pageUrl({ room, name: 'mod' }), {
      localStorage: { 'chat.key': moderatorKey },
    });
    const troll = await browser.open(server.pageUrl({ room, name: 'troll' }));
    const bob = await browser.open(server.pageUrl({ room, name: 'bob' }));
    await Promise.all([mod, troll, bob].map(({ page }) => waitLive(page)));
    await say(troll.page, 'BUY MY STUFF');
    await waitForText(mod.page, 'BUY MY STUFF');

    await mod.page.getByRole('button', { name: 'Moderate troll' }).click();
    await mod.page.locator('#mod-reason').fill('selling');
    await mod.page.locator('#mod-minutes').selectOption({ label: 'until lifted' });
    await mod.page.locator('#mod-ban').click();

    await troll.page.locator('#status-text').filter({ hasText: 'Banned until lifted' }).waitFor();
    expect(await noticeText(troll.page)).toBe(
      `You are banned from room "${room}" until a moderator lifts the ban: selling`,
    );
    expect(await retrying(troll.page)).toBe(false);
    for (const { page } of [mod, bob]) {
      await expect
        .poll(() => shownEvents(page))
        .toEqual(['mod banned troll until lifted: selling']);
    }

    // Its `$connect` is refused now (403), which a browser sees without the reason: the page
    // says the one it was given, and does not try again by itself.
    await troll.page.reload();
    await troll.page.locator('#status-text').filter({ hasText: 'Banned until lifted' }).waitFor();
    expect(await noticeText(troll.page)).toBe(
      `The chat server refused the connection. The last it said: You are banned from room "${room}" until a moderator lifts the ban: selling`,
    );
    expect(await retrying(troll.page)).toBe(false);

    await mod.page.locator('#moderate').click();
    await mod.page.getByRole('button', { name: 'Unban troll' }).click();
    await expect
      .poll(() => shownEvents(bob.page))
      .toEqual(['mod banned troll until lifted: selling', 'mod lifted the ban on troll']);
    // A server's view of the room's bans may be a second old: try until it lets the page in.
    await expect
      .poll(
        async () => {
          const retry = troll.page.getByRole('button', { name: 'Try again' });
          if (await retry.isVisible()) await retry.click();
          return troll.page.locator('#status').getAttribute('data-state');
        },
        { interval: 1000, timeout: 15_000 },
      )
      .toBe('live');
    for (const { watch } of [mod, troll, bob]) {
      expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    }
  });

  it('shows a mute and slow mode a moderator set in the composers of those they apply to', async () => {
    const room = 'slowed';
    const mod = await browser.open(server.pageUrl({ room, name: 'mod' }), {
      localStorage: { 'chat.key': moderatorKey },
    });
    const loud = await browser.open(server.pageUrl({ room, name: 'loud' }));
    const bob = await browser.open(server.pageUrl({ room, name: 'bob' }));
    await Promise.all([mod, loud, bob].map(({ page }) => waitLive(page)));

    await mod.page.getByRole('button', { name: 'Moderate loud' }).click();
    await mod.page.locator('#mod-reason').fill('too loud');
    await mod.page.locator('#mod-minutes').selectOption({ label: '10 min' });
    await mod.page.locator('#mod-mute').click();
    await expect.poll(() => shownRules(loud.page)).toMatch(/^muted until \d.*: too loud$/);
    await loud.page.locator('#input').fill('LET ME SPEAK');
    expect(await loud.page.locator('#send').isDisabled()).toBe(true);

    await mod.page.locator('#moderate').click();
    await mod.page.locator('#slow-mode').selectOption({ label: '30 s' });
    await mod.page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => shownRules(bob.page)).toBe('slow mode: one message every 30 s');
    await say(bob.page, 'one thought');
    await waitForText(mod.page, 'one thought');
    expect(await shownRules(bob.page)).toMatch(
      /^slow mode: one message every 30 s · next in \d+ s$/,
    );
    await bob.page.locator('#input').fill('another thought');
    expect(await bob.page.locator('#send').isDisabled()).toBe(true);
    expect(await shownEvents(bob.page)).toEqual([
      'mod muted loud for 10 min: too loud',
      'mod turned slow mode on: 30 s',
    ]);
    // After a reload, the session frame says the same.
    await loud.page.reload();
    await waitLive(loud.page);
    await expect.poll(() => shownRules(loud.page)).toMatch(/^muted until \d.*: too loud$/);
  });

  it('shows why the room’s review turned a message down, beside it', async () => {
    const { page } = await browser.open(server.pageUrl({ room: 'reviewed', name: 'rex' }));
    await waitLive(page);
    await say(page, 'cheap spam here');
    const failed = page.locator('#pending > li.failed');
    await failed.waitFor();
    expect(await failed.locator('.state').textContent()).toBe(
      'Not sent. The room’s review turned it down: no spam in this room',
    );
    await say(page, 'a kind word');
    await waitForText(page, 'a kind word');
    expect((await shownMessages(page)).map((m) => m.text)).toEqual(['a kind word']);
  });
});
