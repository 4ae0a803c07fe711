import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { messageKey } from '../../src/store/dynamo/keys.js';
import { injectFault, serviceError } from '../support/faults.js';
import { anotherContainer, anotherStore, useTable } from '../support/table.js';

const table = useTable();
// A dead writer's seq is given up about 5 s after the message above it, as documented
// (docs/protocol.md, "Limits"): written here, not imported, so that a change in src fails.
const HOLE_GRACE_MS = 5_000;

const send = (room: string, text: string, id?: string) => ({
  room,
  author: 'name:alice',
  sender: 'alice',
  text,
  ...(id !== undefined ? { id } : {}),
});

/** A store whose clock the test moves, as a reader in another container. */
const readerAt = (now: number) => anotherStore(table, () => now);

/** A room's log as `store` reads it: each message as `seq text`, and the seqs it skipped. */
const logOf = async (room: string, store = table.store) => {
  const { messages, skipped } = await store.readAfter(room, 0, 10);
  return { messages: messages.map((m) => `${m.seq} ${m.text}`), skipped };
};

const crash = () => serviceError('InternalServerError', 500, { $retryable: undefined });

describe('holes in the log', () => {
  it('tombstones the seq of a writer killed between claim and write, once an entry above it is old enough, and stores the retry once', async () => {
    const dying = anotherContainer(table);
    // A container that has sent before (its pepper loaded, see pepper.ts) dies after its claim:
    // neither its write nor any tombstone of its own lands.
    await dying.store.appendMessage(send('killed-warm-up', 'first', 'w-1'));
    injectFault(dying.client, 'TransactWriteItemsCommand', 100, crash);
    injectFault(dying.client, 'PutItemCommand', 100, crash);
    await expect(dying.store.appendMessage(send('killed', 'lost?', 'k-1'))).rejects.toThrow();
    expect(await table.store.lastSeq('killed')).toBe(1);

    const later = await table.store.appendMessage(send('killed', 'later'));
    expect(later.message.seq).toBe(2);
    const writtenAt = Date.parse(later.message.sentAt);

    const young = await readerAt(writtenAt + HOLE_GRACE_MS - 1).readAfter('killed', 0, 10);
    expect(young).toEqual({ messages: [later.message], skipped: [], hasMore: false });

    const old = await readerAt(writtenAt + HOLE_GRACE_MS).readAfter('killed', 0, 10);
    expect(old).toEqual({ messages: [later.message], skipped: [1], hasMore: false });

    // The sender never got an acknowledgement, so it sends the same id again: stored once.
    const retry = await table.store.appendMessage(send('killed', 'lost?', 'k-1'));
    expect(retry).toMatchObject({ duplicate: false, message: { seq: 3, text: 'lost?' } });
    const again = await table.store.appendMessage(send('killed', 'lost?', 'k-1'));
    expect(again).toEqual({ message: retry.message, duplicate: true });
    expect(await logOf('killed')).toEqual({ messages: ['2 later', '3 lost?'], skipped: [1] });
  });

  it('gives a slow writer whose seq was tombstoned a new seq, and still stores its message', async () => {
    const slow = anotherContainer(table);
    let released = false;
    slow.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutItemCommand' && !released) {
          released = true;
          // While this writer stalls, someone else writes above it and a reader gives it up.
          const above = await table.store.appendMessage(send('slow', 'meanwhile'));
          const reader = readerAt(Date.parse(above.message.sentAt) + HOLE_GRACE_MS);
          expect((await reader.readAfter('slow', 0, 10)).skipped).toEqual([1]);
        }
        return next(args);
      },
      { step: 'initialize', name: 'stall-first-put' },
    );
    const stored = await slow.store.appendMessage(send('slow', 'worth the wait'));
    expect(stored).toMatchObject({ duplicate: false, message: { seq: 3 } });
    expect(await logOf('slow')).toEqual({
      messages: ['2 meanwhile', '3 worth the wait'],
      skipped: [1],
    });
  });

  it('hands back a message that lands while a reader is tombstoning its seq', async () => {
    const writer = anotherContainer(table);
    injectFault(writer.client, 'PutItemCommand', 100, crash);
    await expect(writer.store.appendMessage(send('late', 'slow one'))).rejects.toThrow();
    const above = await table.store.appendMessage(send('late', 'above'));
    const reader = anotherContainer(table, () => Date.parse(above.message.sentAt) + HOLE_GRACE_MS);
    reader.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutItemCommand') {
          // The claimant's write gets there first.
          await table.client.send(
            new PutCommand({
              TableName: table.tableName,
              Item: { ...messageKey('late', 1), ...above.message, seq: 1, text: 'slow one' },
            }),
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'message-lands-first' },
    );
    expect(await logOf('late', reader.store)).toEqual({
      messages: ['1 slow one', '2 above'],
      skipped: [],
    });
  });

  it('ages a hole just below `before` by the entry at `before`, and reports it in reads before it', async () => {
    const dying = anotherContainer(table);
    injectFault(dying.client, 'PutItemCommand', 100, crash);
    await table.store.appendMessage(send('below', 'one'));
    await expect(dying.store.appendMessage(send('below', 'two'))).rejects.toThrow();
    const three = await table.store.appendMessage(send('below', 'three'));
    const reader = readerAt(Date.parse(three.message.sentAt) + HOLE_GRACE_MS);
    const page = await reader.readBefore('below', 3, 1);
    expect(page.messages.map((m) => m.seq)).toEqual([1]);
    expect(page.skipped).toEqual([2]);
    expect((await table.store.readBefore('below', undefined, 50)).skipped).toEqual([2]);
  });

  it('never tombstones the seq above the newest entry: nothing shows it was claimed long ago', async () => {
    const dying = anotherContainer(table);
    injectFault(dying.client, 'PutItemCommand', 100, crash);
    const one = await table.store.appendMessage(send('top', 'one'));
    await expect(dying.store.appendMessage(send('top', 'two'))).rejects.toThrow();
    const reader = readerAt(Date.parse(one.message.sentAt) + 60 * HOLE_GRACE_MS);
    expect(await reader.readAfter('top', 0, 10)).toEqual({
      messages: [one.message],
      skipped: [],
      hasMore: false,
    });
  });
});
