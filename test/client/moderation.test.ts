import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stopAfterEach, useChatPages } from './chat-pages.js';
import {
  deleteMessage,
  offeredActions,
  say,
  shownEvents,
  shownRules,
  shownTimeline,
  waitForText,
  waitLive,
} from './page-model.js';
import {
  ids,
  MODERATOR,
  message,
  moderation,
  openScripted,
  presence,
  ROOM,
  replay,
  sessionFrame,
} from './scripted-pages.js';
import type { ScriptedRoom } from './scripted-room.js';

// The page is served by the real chat; its socket goes to a room the test scripts.
const { server, browser } = useChatPages();
const stopLater = stopAfterEach();

const HOUR_MS = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The frames of `action` the page sent. */
const sent = (room: ScriptedRoom, action: string) =>
  room.fromBrowser.filter((frame) => frame.action === action);

/** The debug hook's view of the page's seqs. */
const resolved = (page: Page) =>
  page.evaluate(() => {
    const { __chat } = globalThis as unknown as {
      __chat: { contiguous: number | null; events: number[]; retrying: boolean };
    };
    return { contiguous: __chat.contiguous, events: __chat.events };
  });

const retrying = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __chat: { retrying: boolean } }).__chat.retrying);

const status = async (page: Page) => ({
  state: await page.locator('#status').getAttribute('data-state'),
  text: await page.locator('#status-text').textContent(),
});

/** A moderator's page in a room with troll in it, and one message of each. */
const moderatorPage = () =>
  openScripted(browser, server, stopLater, 'mod', [
    sessionFrame(ids.mod, 'mod', MODERATOR),
    replay([message(1, 'troll', 'buy my stuff', ids.troll), message(2, 'mod', 'welcome', ids.mod)]),
    presence([
      { userId: ids.mod, name: 'mod' },
      { userId: ids.troll, name: 'troll' },
    ]),
  ]);

describe('a moderator’s controls', () => {
  it('bans someone from the member list with a reason and a length, and lifts it from the room panel', async () => {
    const { room, page, watch } = await moderatorPage();
    await waitForText(page, 'welcome');
    await page.getByRole('button', { name: 'Moderate troll' }).click();
    await page.locator('#mod-reason').fill('spam');
    await page.locator('#mod-minutes').selectOption({ label: '1 day' });
    await page.locator('#mod-ban').click();
    await expect
      .poll(() => sent(room, 'ban'))
      .toEqual([{ action: 'ban', userId: ids.troll, minutes: 1440, reason: 'spam' }]);
    expect(await page.locator('#member-panel').isVisible()).toBe(false);

    const at = Date.now();
    room.send({
      type: 'moderation',
      room: ROOM,
      ...moderation(3, 'ban', {
        userId: ids.troll,
        name: 'troll',
        reason: 'spam',
        at: iso(at),
        until: iso(at + 24 * HOUR_MS),
      }),
    });
    await expect.poll(() => shownEvents(page)).toEqual(['mod banned troll for 1 day: spam']);

    await page.locator('#moderate').click();
    await page.getByRole('button', { name: 'Unban troll' }).click();
    await expect.poll(() => sent(room, 'unban')).toEqual([{ action: 'unban', userId: ids.troll }]);
    expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
  });

  it('offers delete on everyone’s messages, edit on its own only, and no controls for itself in the member list', async () => {
    const { room, page } = await moderatorPage();
    await waitForText(page, 'welcome');
    expect(await offeredActions(page, 1)).toEqual(['Delete']);
    expect(await offeredActions(page, 2)).toEqual(['Edit', 'Delete']);
    expect(await page.locator('#presence-names button.member').allTextContents()).toEqual([
      'troll',
    ]);

    await deleteMessage(page, 1);
    await expect
      .poll(() => sent(room, 'deletemessage'))
      .toEqual([{ action: 'deletemessage', seq: 1 }]);
  });

  it('sets slow mode and read-only from the room panel, and is exempt from both', async () => {
    const { room, page } = await moderatorPage();
    await page.locator('#moderate').click();
    await page.locator('#slow-mode').selectOption({ label: '10 s' });
    await page.locator('#read-only').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => sent(room, 'roomsettings'))
      .toEqual([{ action: 'roomsettings', slowModeSeconds: 10, readOnly: true }]);
    room.send({
      type: 'moderation',
      room: ROOM,
      ...moderation(3, 'roomsettings', { slowModeSeconds: 10, readOnly: true }),
    });
    await expect
      .poll(() => shownEvents(page))
      .toEqual(['mod turned slow mode on: 10 s, read-only on']);
    expect(await shownRules(page)).toBe(
      'read-only: only moderators can send · slow mode: one message every 10 s (moderators are exempt)',
    );
    // Both are taken at once (the second waits only for the first's echo, not for slow mode).
    await say(page, 'one');
    await say(page, 'two');
    expect(await page.locator('#pending > li').count()).toBe(2);
    expect(await shownRules(page)).not.toContain('next in');
  });
});

describe('moderation as everyone sees it', () => {
  it('shows moderation events of history pages and live ones in seq order, each resolving its seq', async () => {
    const at = Date.now();
    const { room, page, watch } = await openScripted(browser, server, stopLater, 'ann', [
      sessionFrame(ids.alice, 'ann'),
      replay([message(1, 'ann', 'hello'), message(3, 'troll', 'HELLO!!!', ids.troll)], {
        moderation: [
          moderation(2, 'mute', {
            userId: ids.troll,
            name: 'troll',
            reason: 'caps',
            at: iso(at),
            until: iso(at + 10 * 60_000),
          }),
        ],
      }),
    ]);
    await waitForText(page, 'HELLO!!!');
    room.send({
      type: 'moderation',
      room: ROOM,
      ...moderation(4, 'roomsettings', { slowModeSeconds: 30 }),
    });
    room.send({ type: 'message', room: ROOM, ...message(5, 'troll', 'sorry', ids.troll) });
    await waitForText(page, 'sorry');

    expect(await shownTimeline(page)).toEqual([
      'ann: hello',
      'mod muted troll for 10 min: caps',
      'troll: HELLO!!!',
      'mod turned slow mode on: 30 s',
      'troll: sorry',
    ]);
    expect(await resolved(page)).toEqual({ contiguous: 5, events: [2, 4] });
    expect(await shownRules(page)).toBe('slow mode: one message every 30 s');
    expect(watch).toEqual({ errors: [], dialogs: [], cspViolations: [] });
  });
});

describe('a user a moderator acted on', () => {
  it('is told it is banned, why and until when, and does not reconnect, even after a reload', async () => {
    const { room, page, watch } = await openScripted(browser, server, stopLater, 'troll', [
      sessionFrame(ids.troll, 'troll'),
      replay([]),
    ]);
    const until = iso(Date.now() + HOUR_MS);
    room.send({
      type: 'error',
      code: 'banned',
      message: `you are banned from room "${ROOM}" until ${until}: spam`,
      until,
    });
    room.closeAll();
    await page
      .locator('#status-text')
      .filter({ hasText: /^Banned until / })
      .waitFor();
    expect(await status(page)).toEqual({
      state: 'offline',
      text: expect.stringMatching(/^Banned until \d/),
    });
    const notice = await page.locator('#notice-text').textContent();
    expect(notice).toMatch(new RegExp(`^You are banned from room "${ROOM}" until \\d.*: spam$`));
    expect(notice).not.toContain(until);
    expect(await retrying(page)).toBe(false);
    expect(room.attempts).toBe(1);

    // The server now refuses its `$connect`, which a browser sees without a reason.
    room.refuseWith = 403;
    await page.reload();
    await page
      .locator('#status-text')
      .filter({ hasText: /^Banned until / })
      .waitFor();
    expect(await page.locator('#notice-text').textContent()).toMatch(
      /^The chat server refused the connection\. The last it said: You are banned .*: spam$/,
    );
    expect(await page.locator('#retry-now').textContent()).toBe('Try again');
    expect(await retrying(page)).toBe(false);
    expect(room.attempts).toBe(2);
    expect(watch.errors).toEqual([]);
  });

  it('is told it was kicked and why, and may rejoin by hand', async () => {
    const { room, page } = await openScripted(browser, server, stopLater, 'troll', [
      sessionFrame(ids.troll, 'troll'),
      replay([]),
    ]);
    room.send({
      type: 'error',
      code: 'kicked',
      message: `you were removed from room "${ROOM}" by mod: calm down`,
    });
    room.closeAll();
    await page.locator('#status-text').filter({ hasText: 'Removed from the room' }).waitFor();
    expect(await page.locator('#notice-text').textContent()).toBe(
      `You were removed from room "${ROOM}" by mod: calm down. You may rejoin.`,
    );
    expect(await retrying(page)).toBe(false);
    expect(room.attempts).toBe(1);

    await page.getByRole('button', { name: 'Rejoin' }).click();
    await waitLive(page);
    expect(room.attempts).toBe(2);
    expect(await page.locator('#notice').isVisible()).toBe(false);
  });

  it('sees its mute, until when and why, and cannot send until it is lifted', async () => {
    const { room, page } = await openScripted(browser, server, stopLater, 'troll', [
      sessionFrame(ids.troll, 'troll', {
        muted: { until: iso(Date.now() + HOUR_MS), reason: 'spam' },
      }),
      replay([]),
    ]);
    expect(await shownRules(page)).toMatch(/^muted until \d.*: spam$/);
    await page.locator('#input').fill('let me talk');
    expect(await page.locator('#send').isDisabled()).toBe(true);
    await page.locator('#input').press('Enter');
    expect(await page.locator('#pending > li').count()).toBe(0);

    room.send({
      type: 'moderation',
      room: ROOM,
      ...moderation(1, 'unmute', { userId: ids.troll }),
    });
    await expect.poll(() => shownRules(page)).toBe('');
    expect(await page.locator('#send').isDisabled()).toBe(false);
    await page.locator('#input').press('Enter');
    await expect.poll(() => sent(room, 'sendmessage').length).toBe(1);
  });

  it('may send again once its mute ends, without a word from the server', async () => {
    const { room, page } = await openScripted(browser, server, stopLater, 'troll', [
      sessionFrame(ids.troll, 'troll'),
      replay([]),
    ]);
    await page.clock.install();
    const at = await page.evaluate(() => Date.now());
    room.send({
      type: 'moderation',
      room: ROOM,
      ...moderation(1, 'mute', {
        userId: ids.troll,
        name: 'troll',
        reason: 'cool off',
        at: iso(at),
        until: iso(at + 10 * 60_000),
      }),
    });
    await expect.poll(() => shownRules(page)).toMatch(/^muted until \d.*: cool off$/);
    await page.locator('#input').fill('am I back?');
    expect(await page.locator('#send').isDisabled()).toBe(true);

    await page.clock.fastForward(10 * 60_000 + 1_000);
    await expect.poll(() => shownRules(page)).toBe('');
    expect(await page.locator('#send').isDisabled()).toBe(false);
  });

  it('has a message refused for a mute marked not sent, and the mute shown in the composer', async () => {
    const { room, page } = await openScripted(browser, server, stopLater, 'troll', [
      sessionFrame(ids.troll, 'troll'),
      replay([]),
    ]);
    await say(page, 'quick, before they notice');
    await expect.poll(() => sent(room, 'sendmessage').length).toBe(1);
    room.send({
      type: 'error',
      code: 'forbidden',
      action: 'sendmessage',
      message: `you are muted in room "${ROOM}" for 10 more minutes: spam`,
      until: iso(Date.now() + 10 * 60_000),
    });
    const failed = page.locator('#pending > li.failed');
    await failed.waitFor();
    expect(await failed.locator('.state').textContent()).toBe(
      `Not sent. You are muted in room "${ROOM}" for 10 more minutes: spam`,
    );
    expect(await shownRules(page)).toMatch(/^muted until \d.*: spam$/);
    await page.locator('#input').fill('and again');
    expect(await page.locator('#send').isDisabled()).toBe(true);
  });
});

describe('the room’s rules in the composer', () => {
  it('counts slow mode down after a message, and stops sending in a read-only room', async () => {
    const { room, page } = await openScripted(browser, server, stopLater, 'sam', [
      sessionFrame(ids.bob, 'sam', { settings: { slowModeSeconds: 10, readOnly: false } }),
      replay([]),
    ]);
    expect(await shownRules(page)).toBe('slow mode: one message every 10 s');
    await say(page, 'first');
    expect(await shownRules(page)).toMatch(
      /^slow mode: one message every 10 s · next in (10|9) s$/,
    );
    await page.locator('#input').fill('second');
    expect(await page.locator('#send').isDisabled()).toBe(true);
    await page.locator('#input').press('Enter');
    expect(sent(room, 'sendmessage')).toHaveLength(1);

    room.send({
      type: 'moderation',
      room: ROOM,
      ...moderation(1, 'roomsettings', { slowModeSeconds: 0, readOnly: true }),
    });
    await expect.poll(() => shownRules(page)).toBe('read-only: only moderators can send');
    expect(await page.locator('#send').isDisabled()).toBe(true);
    expect(await shownEvents(page)).toEqual(['mod turned slow mode off, read-only on']);
  });

  it('shows why the room’s review turned a message down, beside it, and does not send it again', async () => {
    const { room, page } = await openScripted(browser, server, stopLater, 'rex', [
      sessionFrame(ids.bob, 'rex'),
      replay([]),
    ]);
    await say(page, 'something rude');
    await expect.poll(() => sent(room, 'sendmessage').length).toBe(1);
    const [asked] = sent(room, 'sendmessage');
    room.send({
      type: 'error',
      code: 'rejected',
      action: 'sendmessage',
      id: asked?.id,
      message: 'your message was not sent: be kind',
    });
    const failed = page.locator('#pending > li.failed');
    await failed.waitFor();
    expect(await failed.locator('.state').textContent()).toBe(
      'Not sent. The room’s review turned it down: be kind',
    );
    expect(await failed.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    // Another message goes; the refused one does not go with it.
    await say(page, 'something kind');
    await expect.poll(() => sent(room, 'sendmessage').length).toBe(2);
    expect(sent(room, 'sendmessage').map((f) => f.message)).toEqual([
      'something rude',
      'something kind',
    ]);
  });
});
