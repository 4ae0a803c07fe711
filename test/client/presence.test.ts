import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARRIVAL_WINDOW_MS } from '../../src/outbound/arrival.js';
import { useChatPages } from './chat-pages.js';
import { say, shownPresence, waitForText, waitLive } from './page-model.js';

const { server, browser } = useChatPages();

/** Waits until the page shows `count` here and exactly these names. */
const waitPresence = (page: Page, count: number, names: string[]) =>
  expect
    .poll(() => shownPresence(page), { timeout: 15_000 })
    .toEqual({ count: `${count} here`, names });

/** Waits until the list's entries read exactly so, tabs and all ("alice (2 tabs)"). */
const waitEntries = (page: Page, entries: string[]) =>
  expect
    .poll(() => page.locator('#presence-names > li').allTextContents(), { timeout: 15_000 })
    .toEqual(entries);

/** Another tab of the browser `of` was opened in: the same key, so the same person. */
const anotherTab = async (of: Page, room: string, name: string) => {
  const page = await of.context().newPage();
  await page.goto(server.pageUrl({ room, name }));
  await waitLive(page);
  return page;
};

const openAs = async (room: string, name: string) => {
  const opened = await browser.open(server.pageUrl({ room, name }));
  await waitLive(opened.page);
  return opened;
};

describe('who is here', () => {
  it('lists who is here and how many as three people join and one leaves', async () => {
    const room = 'presence';
    const alice = await openAs(room, 'alice');
    await waitPresence(alice.page, 1, ['alice']);
    const bob = await openAs(room, 'bob');
    await waitPresence(alice.page, 2, ['alice', 'bob']);
    const carol = await openAs(room, 'carol');
    for (const { page } of [alice, bob, carol])
      await waitPresence(page, 3, ['alice', 'bob', 'carol']);
    expect(await alice.page.locator('#presence-names > li.me').allTextContents()).toEqual([
      'alice',
    ]);

    await bob.page.close();
    for (const { page } of [alice, carol]) await waitPresence(page, 2, ['alice', 'carol']);
    for (const { watch } of [alice, bob, carol]) {
      expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    }
  });

  it('counts people, not tabs: two tabs of alice and bob are "2 here", with "alice (2 tabs)"', async () => {
    const room = 'people-not-tabs';
    const bob = await openAs(room, 'bob');
    const firstTab = await openAs(room, 'alice');
    await waitPresence(bob.page, 2, ['alice', 'bob']);
    // Her second tab's join is not a new person to bob, nor to either of her tabs.
    const secondTab = await anotherTab(firstTab.page, room, 'alice');
    for (const page of [bob.page, firstTab.page, secondTab]) {
      await waitPresence(page, 2, ['alice', 'bob']);
      await waitEntries(page, ['alice (2 tabs)', 'bob']);
    }

    await firstTab.page.close();
    for (const page of [bob.page, secondTab]) {
      await waitPresence(page, 2, ['alice', 'bob']);
      await waitEntries(page, ['alice', 'bob']);
    }
  });

  it('lists a person once however many tabs they have open, told by the snapshot to a newcomer', async () => {
    const room = 'two-tabs';
    const bob = await openAs(room, 'bob');
    const firstTab = await openAs(room, 'alice');
    const secondTab = { page: await anotherTab(firstTab.page, room, 'alice') };
    await waitPresence(bob.page, 2, ['alice', 'bob']);
    // Dave's snapshot tells him alice has two tabs: her first tab's leave does not empty the list of her.
    const dave = await openAs(room, 'dave');
    await waitPresence(dave.page, 3, ['alice', 'bob', 'dave']);
    await waitEntries(dave.page, ['alice (2 tabs)', 'bob', 'dave']);

    await firstTab.page.close();
    for (const { page } of [bob, secondTab, dave]) {
      await waitPresence(page, 3, ['alice', 'bob', 'dave']);
      await waitEntries(page, ['alice', 'bob', 'dave']);
    }
    await secondTab.page.close();
    for (const { page } of [bob, dave]) await waitPresence(page, 2, ['bob', 'dave']);
  });

  it('drops a connection that vanished without a goodbye once a post to the room finds it gone', async () => {
    const room = 'ghost-town';
    // A member whose socket died unreported: the gateway answers 410 for it. Registered longer
    // ago than a `$connect` may take, so that 410 means gone, not "still arriving".
    await server.store.saveConnection({
      connectionId: 'ghostConnId=',
      room,
      name: 'ghost',
      connectedAt: Date.now() - ARRIVAL_WINDOW_MS - 1_000,
    });
    // Alice's arrival is told to the room, the ghost included: that post prunes it.
    const alice = await openAs(room, 'alice');
    const bob = await openAs(room, 'bob');
    await say(alice.page, 'anyone there?');
    await waitForText(bob.page, 'anyone there?');
    for (const { page } of [alice, bob]) await waitPresence(page, 2, ['alice', 'bob']);
    expect(await server.store.getConnection('ghostConnId=')).toBeUndefined();
  });

  it('gets a fresh list after a reconnect', async () => {
    const room = 'fresh-list';
    const alice = await openAs(room, 'alice');
    const bob = await openAs(room, 'bob');
    await waitPresence(alice.page, 2, ['alice', 'bob']);
    await alice.page.context().setOffline(true);
    await alice.page.locator('#status[data-state="offline"]').waitFor({ state: 'attached' });
    await bob.page.close();
    const carol = await openAs(room, 'carol');
    await waitPresence(carol.page, 1, ['carol']);

    await alice.page.context().setOffline(false);
    await waitLive(alice.page);
    await waitPresence(alice.page, 2, ['alice', 'carol']);
  });
});
