import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { deleteTable } from '../../local/dynamodb-local.js';
import { startLocalStack } from '../../local/stack.js';
import { useBrowser } from './browser.js';
import { say, shownMessages, waitForText, waitLive, waitNothingPending } from './page-model.js';

const browser = useBrowser();
const tables: string[] = [];
const running: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const stack of running) await stack.stop();
  for (const table of tables) await deleteTable(inject('dynamoEndpoint'), table);
});

/**
 * What `npm start` runs, started afresh on `port`: the emulator and the chat's containers (so
 * nothing they remember survives), on an empty table of its own, as a new in-memory DynamoDB
 * Local would give it (in the run's DynamoDB Local: a second Java takes over 30 s to start on a
 * busy machine, which fails its start-up).
 */
const startChat = async (port: number) => {
  const tableName = `chat-restart-${randomUUID().slice(0, 8)}`;
  tables.push(tableName);
  const stack = await startLocalStack({
    port,
    quiet: true,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName,
  });
  running.push(stack);
  return stack;
};

/** The seqs the page holds, and the messages it shows. */
const held = async (page: Page) => ({
  seqs: await page.evaluate(
    () => (globalThis as unknown as { __chat: { seqs: number[] } }).__chat.seqs,
  ),
  shown: (await shownMessages(page)).map(({ seq, text }) => ({ seq, text })),
});

/** Tells the page the network is back, until it is live again: no waiting out its retry timer. */
const reconnectNow = (page: Page) =>
  expect
    .poll(
      async () => {
        await page.evaluate("dispatchEvent(new Event('online'))");
        return page.locator('#status').getAttribute('data-state');
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe('live');

describe('a room whose log was started again by a restarted in-memory server', () => {
  it('starts its pages over on the new log, keeping a draft sent during the outage, once', async () => {
    const first = await startChat(0);
    const port = Number(new URL(first.httpUrl).port);
    const url = (name: string) => `${first.httpUrl}/?room=restarted&name=${name}`;
    // Alice's replay finds the room without a log, Bob's finds its log begun: a page that knows
    // which log it holds, and one that cannot know.
    const alice = (await browser.open(url('alice'))).page;
    // Her replay is over (the presence snapshot follows it) before the room has a log.
    await alice.locator('#presence').waitFor({ state: 'visible' });
    await say(alice, 'before 1');
    await waitForText(alice, 'before 1');
    const bob = (await browser.open(url('bob'))).page;
    await waitLive(bob);
    for (const [page, text] of [
      [bob, 'before 2'],
      [alice, 'before 3'],
    ] as const) {
      await say(page, text);
      await waitForText(alice, text);
      await waitForText(bob, text);
    }

    await first.stop();
    await alice.locator('#status[data-state="reconnecting"]').waitFor({ state: 'attached' });
    await say(alice, 'written while down');
    await startChat(port);
    await Promise.all([reconnectNow(alice), reconnectNow(bob)]);
    await waitNothingPending(alice);
    await say(bob, 'said after the restart');

    const newLog = {
      seqs: [1, 2],
      shown: [
        { seq: 1, text: 'written while down' },
        { seq: 2, text: 'said after the restart' },
      ],
    };
    await expect.poll(() => held(alice), { timeout: 20_000 }).toEqual(newLog);
    await expect.poll(() => held(bob), { timeout: 20_000 }).toEqual(newLog);
  }, 180_000);
});
