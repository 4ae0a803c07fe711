import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stopAfterEach, useChatPages } from './chat-pages.js';
import { pauseClock, say, shownMessages, typingLine, waitForText } from './page-model.js';
import { ids, message, openScripted, ROOM, replay, sessionFrame } from './scripted-pages.js';
import type { ScriptedRoom } from './scripted-room.js';

// The page is served by the real chat; its socket goes to a room the test scripts, which sends
// the batches a busy room's members get (docs/protocol.md#busy-rooms-messages-in-batches).
const { server, browser } = useChatPages();
const stopLater = stopAfterEach();

/** A message as a `message` frame or a batch's entry carries it: with its room. */
const entry = (seq: number, sender: keyof typeof ids, text: string) => ({
  room: ROOM,
  ...message(seq, sender, text, ids[sender]),
});
const alone = (seq: number, sender: keyof typeof ids, text: string) => ({
  type: 'message',
  ...entry(seq, sender, text),
});
const batch = (messages: unknown[], room = ROOM) => ({ type: 'messages', room, messages });

const historyRequests = (room: ScriptedRoom) =>
  room.fromBrowser.filter((frame) => frame.action === 'history');

/** Alice's page in a scripted room whose replay holds message 1, its timers stopped. */
const openPaused = async () => {
  const opened = await openScripted(browser, server, stopLater, 'alice', [
    sessionFrame(ids.alice, 'alice'),
    replay([entry(1, 'alice', 'one')]),
  ]);
  await waitForText(opened.page, 'one');
  // The page's wait for a missing seq stands still until the test moves its clock on.
  await pauseClock(opened.page);
  return opened;
};

const shown = async (page: Page) =>
  (await shownMessages(page)).map(({ seq, sender, text }) => ({ seq, sender, text }));

describe('a busy room’s messages, in batches', () => {
  it('shows every message of a batch in seq order, once, and asks for none of the seqs it covered', async () => {
    const { room, page, watch } = await openPaused();
    // Entries that are not messages of this room are ignored, as such `message` frames are.
    room.send(batch([entry(7, 'bob', 'elsewhere')], 'other-room'));
    room.send(batch([{ ...entry(8, 'bob', 'x'), room: 'other-room' }, { seq: 9 }, 'junk', null]));
    room.send({ type: 'typing', room: ROOM, userId: ids.bob, name: 'bob', expiresInMs: 6000 });
    await expect.poll(() => typingLine(page)).toBe('bob is typing…');
    // Seqs 2 and 4 are missing until the batch, the last frame, brings them (and 3 again).
    room.send(alone(3, 'mod', 'three'));
    room.send(alone(5, 'troll', 'five'));
    await waitForText(page, 'five');
    room.send(batch([entry(2, 'bob', 'two'), entry(3, 'mod', 'three'), entry(4, 'bob', 'four')]));
    await waitForText(page, 'four');

    expect(await shown(page)).toEqual([
      { seq: 1, sender: 'alice', text: 'one' },
      { seq: 2, sender: 'bob', text: 'two' },
      { seq: 3, sender: 'mod', text: 'three' },
      { seq: 4, sender: 'bob', text: 'four' },
      { seq: 5, sender: 'troll', text: 'five' },
    ]);
    // Bob's message in the batch ends his typing, as his message alone would.
    expect(await typingLine(page)).toBe('');
    // Long past every wait for a missing seq; a send behind it shows what the page asked by then.
    await page.clock.fastForward(60_000);
    await say(page, 'all here');
    await expect.poll(() => room.fromBrowser.some((f) => f.action === 'sendmessage')).toBe(true);
    expect(historyRequests(room)).toEqual([]);
    expect(watch.errors).toEqual([]);
  });

  it('asks for a seq missing between a batch’s entries, and for that one alone', async () => {
    const { room, page } = await openPaused();
    room.send(batch([entry(2, 'bob', 'two'), entry(4, 'bob', 'four')]));
    await waitForText(page, 'four');
    await page.clock.fastForward(1_500);
    await expect
      .poll(() => historyRequests(room))
      .toEqual([{ action: 'history', before: 4, limit: 1 }]);
    room.send({ ...replay([entry(3, 'mod', 'three')]), before: 4 });
    await waitForText(page, 'three');
    expect((await shown(page)).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });
});
