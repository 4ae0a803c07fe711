import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { messageKey } from '../../src/store/dynamo/keys.js';
import { createStore } from '../../src/store/index.js';
import { claimSeq } from '../../src/store/log/head.js';
import { tombstoneItem } from '../../src/store/log/log-items.js';
import { writeMessage } from '../../src/store/log/write-message.js';
import { listenerAndSender, stopAfterEach, useChatPages } from './chat-pages.js';
import {
  dropSocket,
  pauseClock,
  say,
  shownMessages,
  shownTexts,
  waitForText,
  waitLive,
} from './page-model.js';
import { type Frame, startWsRelay, type WsRelay } from './ws-relay.js';

const { server, browser } = useChatPages();
const stopLater = stopAfterEach();

/** The store's own log writes, on the chat server's table, at the real time. */
const logDeps = () => ({ client: server.client, tableName: server.tableName, now: Date.now });

/** A listener whose frames pass through a relay, and a sender on a direct line, in a fresh room. */
const twoPeople = async (room: string) => {
  const relay = stopLater(await startWsRelay(server.wsUrl));
  return { relay, ...(await listenerAndSender(browser, server, room, relay.wsUrl)) };
};

const isBroadcastOf = (seq: number) => (frame: Frame) =>
  frame.type === 'message' && frame.seq === seq;

/** The sender says one, two, three; the relay lets the listener see one, then does `fate` to two. */
const threeWithTheSecond = async (room: string, fate: 'hold' | 'drop') => {
  const people = await twoPeople(room);
  const { relay, listener, sender } = people;
  await say(sender, 'one');
  await waitForText(listener, 'one');
  // A held broadcast must still be held when the test looks: the page's wait for a missing seq
  // (1.2 s) stands still, however slow the machine, until the test lets time go on.
  if (fate === 'hold') await pauseClock(listener);
  relay.judge = (frame) => (isBroadcastOf(2)(frame) ? fate : 'pass');
  await say(sender, 'two');
  await say(sender, 'three');
  await waitForText(listener, 'three');
  return people;
};

const historyRequests = (line: WsRelay) => line.fromBrowser.filter((f) => f.action === 'history');

interface ChatHook {
  __chat: { contiguous: number | null; skipped: number[] };
}

/** What the page holds as resolved: the seq it would resume after, and the seqs it skips. */
const resolvedState = (page: Page) =>
  page.evaluate(() => {
    const { __chat } = globalThis as unknown as ChatHook;
    return { contiguous: __chat.contiguous, skipped: __chat.skipped };
  });

/** Drops the page's socket and returns the `since` of the socket it opens next. */
const sinceOnReconnect = async (page: Page, line: WsRelay) => {
  const opened = line.opened.length;
  await dropSocket(page);
  await expect.poll(() => line.opened.length).toBe(opened + 1);
  await waitLive(page);
  return new URL(line.opened[opened] ?? '', 'ws://relay').searchParams.get('since');
};

describe('seq order and gaps', () => {
  it('shows a broadcast overtaken by the next one in its place, once, without asking for it', async () => {
    const { relay, listener, watch } = await threeWithTheSecond('crossed', 'hold');
    // The later message is not kept waiting for the missing one.
    expect(await shownTexts(listener)).toEqual(['one', 'three']);
    relay.release();
    await waitForText(listener, 'two');
    await listener.clock.resume();

    expect(relay.toBrowser.filter((f) => f.type === 'message').map((f) => f.seq)).toEqual([
      1, 3, 2,
    ]);
    const shown = await shownMessages(listener);
    expect(shown.map(({ seq, text }) => ({ seq, text }))).toEqual([
      { seq: 1, text: 'one' },
      { seq: 2, text: 'two' },
      { seq: 3, text: 'three' },
    ]);
    expect(historyRequests(relay)).toEqual([]);
    expect(relay.opened).toHaveLength(1);
    expect(watch.errors).toEqual([]);
  });

  it('fetches a lost broadcast with one history request on the open socket instead of reconnecting', async () => {
    const { relay, listener } = await threeWithTheSecond('lost', 'drop');
    await waitForText(listener, 'two');

    expect(await shownTexts(listener)).toEqual(['one', 'two', 'three']);
    expect((await shownMessages(listener)).map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(historyRequests(relay)).toEqual([{ action: 'history', before: 3, limit: 1 }]);
    expect(relay.toBrowser.filter((f) => f.before === 3)).toEqual([
      expect.objectContaining({
        type: 'history',
        messages: [expect.objectContaining({ seq: 2, text: 'two' })],
      }),
    ]);
    expect(relay.opened).toHaveLength(1);
  });

  it('walks across a seq the log skipped, asks nothing for it, and resumes after it', async () => {
    const room = 'skipped';
    await server.seed(room, 2);
    const hole = await claimSeq(logDeps(), room);
    await server.client.send(
      new PutCommand({
        TableName: server.tableName,
        Item: tombstoneItem(messageKey(room, hole), hole, Date.now()),
      }),
    );
    await server.store.appendMessage({ room, author: 'name:b', sender: 'b', text: 'message 4' });
    const relay = stopLater(await startWsRelay(server.wsUrl));
    const { page } = await browser.open(server.pageUrl({ room, name: 'reader' }), {
      webSocketUrl: relay.wsUrl,
    });
    await waitForText(page, 'message 4');

    // The replay: the first history page, after the session frame.
    expect(relay.toBrowser.find((f) => f.type === 'history')).toMatchObject({ skipped: [3] });
    expect((await shownMessages(page)).map((m) => m.seq)).toEqual([1, 2, 4]);
    expect(await resolvedState(page)).toEqual({ contiguous: 4, skipped: [3] });
    expect(await sinceOnReconnect(page, relay)).toBe('4');
    expect(historyRequests(relay)).toEqual([]);
  });

  it('keeps asking while the server leaves a young hole unanswered, then shows the late message in place', async () => {
    const room = 'slow-writer';
    const { relay, listener, sender } = await twoPeople(room);
    await say(sender, 'one');
    await waitForText(listener, 'one');
    const slow = await claimSeq(logDeps(), room);
    // Written just after the claim but stamped ahead: the hole below it stays young, so only
    // its writer can resolve it.
    const ahead = createStore({
      client: server.client,
      tableName: server.tableName,
      now: () => Date.now() + 10 * 60_000,
    });
    await ahead.appendMessage({ room, author: 'name:c', sender: 'c', text: 'three' });
    await say(sender, 'four');
    await waitForText(listener, 'three');
    const asksForTwo = () => historyRequests(relay).filter((f) => f.before === 3);
    await expect.poll(() => asksForTwo().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    expect(await shownTexts(listener)).toEqual(['one', 'three', 'four']);

    const late = {
      room,
      seq: slow,
      sender: 'slowpoke',
      text: 'two',
      sentAt: new Date().toISOString(),
    };
    expect(await writeMessage(logDeps(), late, undefined)).toEqual({ outcome: 'stored' });
    await waitForText(listener, 'two');

    expect((await shownMessages(listener)).map(({ seq, text }) => [seq, text])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
      [4, 'four'],
    ]);
    expect(historyRequests(relay)[0]).toEqual({ action: 'history', before: 4, limit: 2 });
    expect(historyRequests(relay).slice(1)).toEqual(
      asksForTwo().map(() => ({ action: 'history', before: 3, limit: 1 })),
    );
    expect(relay.opened).toHaveLength(1);
  });

  it('does not stall on a seq whose writer died: once the server gives it up, the page resumes after it', async () => {
    const room = 'dead-writer';
    const { relay, listener, sender } = await twoPeople(room);
    await say(sender, 'one');
    await waitForText(listener, 'one');
    await claimSeq(logDeps(), room);
    await say(sender, 'three');
    await waitForText(listener, 'three');

    await expect
      .poll(() => resolvedState(listener), { timeout: 30_000 })
      .toEqual({ contiguous: 3, skipped: [2] });
    expect(await shownTexts(listener)).toEqual(['one', 'three']);
    expect(relay.toBrowser).toContainEqual(
      expect.objectContaining({ type: 'history', before: 3, skipped: [2] }),
    );
    const asked = historyRequests(relay);
    expect(asked.length).toBeGreaterThan(0);
    for (const request of asked)
      expect(request).toEqual({ action: 'history', before: 3, limit: 1 });
    expect(relay.opened).toHaveLength(1);
    expect(await sinceOnReconnect(listener, relay)).toBe('3');
  });
});
