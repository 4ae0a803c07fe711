import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stopAfterEach, useChatPages } from './chat-pages.js';
import {
  dropSocket,
  shownMembers,
  shownMessages,
  shownPresence,
  shownSenders,
  shownStates,
  waitForText,
  waitLive,
} from './page-model.js';
import {
  ids,
  message,
  openScripted,
  presence,
  ROOM,
  replay,
  sessionFrame,
} from './scripted-pages.js';
import { startScriptedRoom } from './scripted-room.js';

// The page is served by the real chat; its socket goes to a room the test scripts.
const { server, browser } = useChatPages();
const stopLater = stopAfterEach();

const storedKey = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as { localStorage: Storage }).localStorage.getItem('chat.key'),
  );

describe('who the page is: its key and the server’s ids', () => {
  it('makes a key once, offers it beside chat on every connect, and keeps it across a reload', async () => {
    const { room, page, watch } = await openScripted(browser, server, stopLater, 'kay', [
      sessionFrame(ids.alice, 'kay'),
      replay([]),
    ]);
    const key = await storedKey(page);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // 43 characters of base64url are 258 bits: the last one carries only 4 of the 32 bytes' bits.
    expect(Buffer.from(key ?? '', 'base64url')).toHaveLength(32);
    expect(room.offered).toEqual([['chat', `key.${key}`]]);

    await page.reload();
    await waitLive(page);
    await dropSocket(page);
    await expect.poll(() => room.offered.length).toBe(3);
    expect(room.offered).toEqual([
      ['chat', `key.${key}`],
      ['chat', `key.${key}`],
      ['chat', `key.${key}`],
    ]);
    expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
  });

  it('keeps one key for the tab’s lifetime when storage is refused', async () => {
    const room = stopLater(await startScriptedRoom([replay([])]));
    const { page, watch } = await browser.open(server.pageUrl({ room: ROOM, name: 'nostore' }), {
      webSocketUrl: room.wsUrl,
      refuseStorage: true,
    });
    await waitLive(page);
    const storage = await page.evaluate(() => {
      try {
        return typeof (globalThis as unknown as { localStorage: Storage }).localStorage;
      } catch {
        return 'refused';
      }
    });
    expect(storage).toBe('refused');
    await dropSocket(page);
    await expect.poll(() => room.offered.length).toBe(2);
    const [first, second] = room.offered;
    expect(first?.[1]).toMatch(/^key\.[A-Za-z0-9_-]{43}$/);
    expect(second).toEqual(first);
    expect(watch.errors).toEqual([]);
  });

  it('gives edit and delete only to messages of its own id, not to others under its name', async () => {
    const { page } = await openScripted(browser, server, stopLater, 'alice', [
      sessionFrame(ids.alice, 'alice'),
      replay([
        message(1, 'alice', 'mine', ids.alice),
        message(2, 'alice', 'an impostor’s', ids.otherAlice),
        message(3, 'alice', 'from before ids'),
      ]),
    ]);
    await waitForText(page, 'from before ids');
    expect((await shownStates(page)).map(({ text, tools }) => ({ text, tools }))).toEqual([
      { text: 'mine', tools: true },
      { text: 'an impostor’s', tools: false },
      { text: 'from before ids', tools: false },
    ]);
    expect((await shownMessages(page)).map((m) => m.own)).toEqual([true, false, false]);
  });

  it('judges messages by name, as before, from a server that gives no ids', async () => {
    const { page } = await openScripted(browser, server, stopLater, 'alice', [
      replay([message(1, 'alice', 'by name'), message(2, 'bob', 'not mine')]),
    ]);
    await waitForText(page, 'not mine');
    expect((await shownStates(page)).map((m) => m.tools)).toEqual([true, false]);
  });

  it('shows a fingerprint beside a name two people use, in messages and the member list', async () => {
    const { room, page, watch } = await openScripted(browser, server, stopLater, 'alice', [
      sessionFrame(ids.alice, 'alice'),
      replay([message(1, 'alice', 'hi', ids.alice), message(2, 'bob', 'yo', ids.bob)]),
      presence([
        { userId: ids.alice, name: 'alice' },
        { userId: ids.bob, name: 'bob' },
      ]),
    ]);
    await waitForText(page, 'yo');
    await expect
      .poll(() => shownPresence(page))
      .toEqual({ count: '2 here', names: ['alice', 'bob'] });
    expect(await shownMembers(page)).toEqual([
      { name: 'alice', fingerprint: '' },
      { name: 'bob', fingerprint: '' },
    ]);

    room.send({ type: 'join', room: ROOM, name: 'alice', userId: ids.otherAlice, count: 3 });
    room.send({ type: 'message', room: ROOM, ...message(3, 'alice', 'me too', ids.otherAlice) });
    await waitForText(page, 'me too');
    await expect
      .poll(() => shownMembers(page))
      .toEqual([
        { name: 'alice', fingerprint: 'QWxp' },
        { name: 'alice', fingerprint: 'T3Ro' },
        { name: 'bob', fingerprint: '' },
      ]);
    expect(await shownSenders(page)).toEqual([
      { name: 'alice', fingerprint: 'QWxp' },
      { name: 'bob', fingerprint: '' },
      { name: 'alice', fingerprint: 'T3Ro' },
    ]);
    expect(await page.locator('#presence-names > li.me .fingerprint').textContent()).toBe('QWxp');
    expect((await shownPresence(page)).count).toBe('3 here');
    expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
  });
});
