import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stopAfterEach, useChatPages } from './chat-pages.js';
import { shownPresence, shownStates, waitForText, waitLive } from './page-model.js';
import { startScriptedRoom } from './scripted-room.js';

// The page is served by the real chat, but its socket goes to a room the test scripts.
const { server, browser } = useChatPages();
const stopLater = stopAfterEach();

const sentAt = new Date().toISOString();
const message = (seq: number, sender: string, text: string) => ({ seq, sender, text, sentAt });

/** A page of `name` in a scripted room that replays `messages`. */
const scripted = async (name: string, messages: ReturnType<typeof message>[]) => {
  const room = stopLater(
    await startScriptedRoom({ type: 'history', room: 'scripted', messages, hasMore: false }),
  );
  const { page, watch } = await browser.open(server.pageUrl({ room: 'scripted', name }), {
    webSocketUrl: room.wsUrl,
  });
  await waitLive(page);
  return { room, page, watch };
};

const resolved = (page: Page) =>
  page.evaluate(() => {
    const { __chat } = globalThis as unknown as {
      __chat: { contiguous: number | null; updates: number[] };
    };
    return { contiguous: __chat.contiguous, updates: __chat.updates };
  });

describe('the room’s frames, in orders and sizes the real server makes rarely', () => {
  it('shows the count of connections alone for a room too big to list, or the last names listed and more', async () => {
    const { room, page } = await scripted('zoe', []);
    room.send({ type: 'occupancy', room: 'scripted', count: 1234 });
    await expect
      .poll(() => shownPresence(page))
      .toEqual({ count: '1,234 connections', names: ['too many people to list'] });

    room.send({
      type: 'presence',
      room: 'scripted',
      count: 150,
      names: ['amy', 'zoe'],
      more: true,
    });
    await expect
      .poll(() => shownPresence(page))
      .toEqual({ count: '150 connections', names: ['amy', 'zoe', 'and more'] });
    room.send({ type: 'occupancy', room: 'scripted', count: 151 });
    await expect
      .poll(() => shownPresence(page))
      .toEqual({ count: '151 connections', names: ['amy', 'zoe', 'and more'] });
  });

  it('applies each message’s updates by seq whatever order they arrive in, and a deletion is final', async () => {
    const { room, page, watch } = await scripted('ann', [
      message(1, 'ann', 'one'),
      message(2, 'ann', 'two'),
    ]);
    await waitForText(page, 'two');
    const edit = (seq: number, target: number, text: string) => ({
      type: 'edit',
      room: 'scripted',
      seq,
      target,
      text,
      editedAt: new Date(Date.now() + seq * 1000).toISOString(),
    });
    room.send(edit(4, 1, 'newer'));
    room.send(edit(3, 1, 'older'));
    room.send({
      type: 'delete',
      room: 'scripted',
      seq: 5,
      target: 2,
      deleted: true,
      deletedAt: sentAt,
    });
    room.send(edit(6, 2, 'back from the dead'));
    room.send({ type: 'message', room: 'scripted', ...message(7, 'bob', 'after') });
    await waitForText(page, 'after');

    expect(
      (await shownStates(page)).map(({ text, edited, deleted }) => ({ text, edited, deleted })),
    ).toEqual([
      { text: 'newer', edited: true, deleted: false },
      { text: 'message deleted', edited: false, deleted: true },
      { text: 'after', edited: false, deleted: false },
    ]);
    expect(await resolved(page)).toEqual({ contiguous: 7, updates: [3, 4, 5, 6] });
    expect(watch.errors).toEqual([]);
  });

  it('applies a history page’s updates, and one for a message not shown yet once it is', async () => {
    const { room, page } = await scripted('cy', [message(3, 'cy', 'three')]);
    await waitForText(page, 'three');
    room.send({
      type: 'history',
      room: 'scripted',
      messages: [message(4, 'cy', 'four')],
      updates: [
        { seq: 5, target: 3, text: 'three, edited', editedAt: sentAt },
        { seq: 6, target: 1, deleted: true, deletedAt: sentAt },
      ],
      hasMore: false,
      before: 7,
    });
    await waitForText(page, 'three, edited');
    // An older page brings message 1, still in the state it was read in.
    room.send({
      type: 'history',
      room: 'scripted',
      messages: [message(1, 'cy', 'one'), message(2, 'cy', 'two')],
      hasMore: false,
      before: 3,
    });
    await waitForText(page, 'two');
    expect((await shownStates(page)).map((m) => m.text)).toEqual([
      'message deleted',
      'two',
      'three, edited',
      'four',
    ]);
    expect(await resolved(page)).toEqual({ contiguous: 6, updates: [5, 6] });
  });
});
