import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { IdReusedError } from '../../src/store/dynamo/errors.js';
import { idempotencyKey, messageKey, pepperKey } from '../../src/store/dynamo/keys.js';
import type { ChatMessage } from '../../src/store/index.js';
import { recordCommands } from '../support/command-recorder.js';
import { anotherContainer, anotherStore, useTable } from '../support/table.js';

const table = useTable();
// How long a client id is remembered, as documented (docs/protocol.md, "Client to server" and
// "Limits"): written here, not imported, so that a change to the constant in src fails.
const ID_WINDOW_SECONDS = 24 * 60 * 60;

const message = (room: string, text: string, id?: string, author = 'name:alice') => ({
  room,
  author,
  sender: author.slice(author.indexOf(':') + 1),
  text,
  ...(id !== undefined ? { id } : {}),
});

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** A message as reads of the log give it: without its client id. */
const withoutId = (message: ChatMessage | undefined) => {
  const { id: _id, ...read } = message ?? ({} as ChatMessage);
  return read;
};

/** Requests by operation, leaving out the container's load of the pepper (see pepper.ts). */
const countsOffPepper = ({ commands }: ReturnType<typeof recordCommands>) => {
  const counts: Record<string, number> = {};
  for (const { operation, input } of commands) {
    const { Key, Item } = input as { Key?: { pk?: string }; Item?: { pk?: string } };
    if ((Key ?? Item)?.pk === pepperKey.pk) continue;
    counts[operation] = (counts[operation] ?? 0) + 1;
  }
  return counts;
};

describe('appendMessage', () => {
  it('gives 200 appends from 20 concurrent writers the seqs 1..200, each writer in increasing order', async () => {
    const writers = Array.from({ length: 20 }, () => anotherStore(table));
    const results = await Promise.all(
      writers.map(async (store, writer) => {
        const seqs: number[] = [];
        for (let n = 0; n < 10; n++) {
          const { message: stored } = await store.appendMessage(message('busy', `w${writer}-${n}`));
          seqs.push(stored.seq);
        }
        return seqs;
      }),
    );
    for (const seqs of results) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(results.flat().sort((a, b) => a - b)).toEqual(range(1, 200));
    const log = await table.store.readAfter('busy', 0, 500);
    expect(log.messages.map((m) => m.seq)).toEqual(range(1, 200));
    expect(log.skipped).toEqual([]);
    expect(new Set(log.messages.map((m) => m.text)).size).toBe(200);
  });

  it('never lets 100 writers that all send at once retry against each other: one claim and one write each', async () => {
    const writers = Array.from({ length: 100 }, () => anotherContainer(table));
    const recorders = writers.map(({ client }) => recordCommands(client));
    const stored = await Promise.all(
      writers.map(({ store }, n) => store.appendMessage(message('burst', `b${n}`, `b-${n}`))),
    );
    expect(stored.map((s) => s.message.seq).sort((a, b) => a - b)).toEqual(range(1, 100));
    for (const recorder of recorders) {
      // The id lookup, the claim, and the message written with its id record; apart from the
      // container's one load of the pepper.
      expect(countsOffPepper(recorder)).toEqual({
        GetItem: 1,
        UpdateItem: 1,
        TransactWriteItems: 1,
      });
    }
  });

  it('gives a sequentially retried id its original message and claims no seq for it', async () => {
    const first = await table.store.appendMessage(message('retry-seq', 'hello', 'c-1'));
    const again = await table.store.appendMessage(message('retry-seq', 'hello', 'c-1'));
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ message: first.message, duplicate: true });
    expect(await table.store.lastSeq('retry-seq')).toBe(1);
  });

  it('gives concurrent retries of one id the same message, stores it once and resolves every seq they claimed', async () => {
    const stores = Array.from({ length: 8 }, () => anotherStore(table));
    const results = await Promise.all(
      stores.map((store) => store.appendMessage(message('retry-race', 'once', 'c-race'))),
    );
    const winner = results.find((r) => !r.duplicate);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    for (const result of results) expect(result.message).toEqual(winner?.message);
    const claimed = await table.store.lastSeq('retry-race');
    const log = await table.store.readAfter('retry-race', 0, 10);
    expect(log.messages).toEqual([withoutId(winner?.message)]);
    // Every seq a losing retry claimed is a tombstone at once, not a hole left to age.
    expect([...log.skipped, winner?.message.seq].sort()).toEqual(range(1, claimed));
  });

  it('scopes ids to their author: the same id from someone else is their own message', async () => {
    const alice = await table.store.appendMessage(message('ids', 'from alice', '1', 'name:alice'));
    const bob = await table.store.appendMessage(message('ids', 'from bob', '1', 'name:bob'));
    expect(bob.duplicate).toBe(false);
    expect(bob.message).toMatchObject({ seq: alice.message.seq + 1, text: 'from bob' });
    const log = await table.store.readAfter('ids', 0, 10);
    expect(log.messages.map((m) => m.text)).toEqual(['from alice', 'from bob']);
  });

  it('refuses an id its author already used for a different text, and stores nothing', async () => {
    await table.store.appendMessage(message('reuse', 'first text', 'r-1'));
    const reuse = table.store.appendMessage(message('reuse', 'other text', 'r-1'));
    await expect(reuse).rejects.toBeInstanceOf(IdReusedError);
    await expect(reuse).rejects.toThrow('id "r-1" was already used for a different message');
    expect((await table.store.readAfter('reuse', 0, 10)).messages.map((m) => m.text)).toEqual([
      'first text',
    ]);
    expect(await table.store.lastSeq('reuse')).toBe(1);
  });

  it('remembers an id for the dedupe window, with a TTL, and forgets it after', async () => {
    let now = Date.parse('2026-11-26T12:00:00.000Z');
    const store = anotherStore(table, () => now);
    const first = await store.appendMessage(message('window', 'hi', 'w-1'));
    const key = idempotencyKey('window', 'name:alice', 'w-1');
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: key }),
    );
    expect(Item).toMatchObject({
      seq: 1,
      expiresAt: Math.floor(now / 1000) + ID_WINDOW_SECONDS,
    });
    now += (ID_WINDOW_SECONDS - 1) * 1000;
    expect((await store.appendMessage(message('window', 'hi', 'w-1'))).duplicate).toBe(true);
    // Past the window the record may still be there (TTL deletes lazily) but no longer counts.
    now += 2_000;
    const later = await store.appendMessage(message('window', 'hi', 'w-1'));
    expect(later).toMatchObject({ duplicate: false, message: { seq: first.message.seq + 1 } });
  });

  it('continues the sequence after the oldest events are deleted, never reusing a seq', async () => {
    for (const n of range(1, 5)) await table.store.appendMessage(message('retention', `m${n}`));
    for (const seq of range(1, 5)) {
      await table.client.send(
        new DeleteCommand({ TableName: table.tableName, Key: messageKey('retention', seq) }),
      );
    }
    const fresh = anotherStore(table);
    const { message: next } = await fresh.appendMessage(message('retention', 'after'));
    expect(next.seq).toBe(6);
  });

  it('keeps each room its own sequence', async () => {
    await table.store.appendMessage(message('room-a', 'a1'));
    await table.store.appendMessage(message('room-a', 'a2'));
    const { message: b1 } = await table.store.appendMessage(message('room-b', 'b1'));
    const { message: a3 } = await table.store.appendMessage(message('room-a', 'a3'));
    expect(b1.seq).toBe(1);
    expect(a3.seq).toBe(3);
    expect(await table.store.lastSeq('room-b')).toBe(1);
  });

  it('lets the same id be used in two rooms independently', async () => {
    const a = await table.store.appendMessage(message('ids-a', 'x', 'same'));
    const b = await table.store.appendMessage(message('ids-b', 'y', 'same'));
    expect(a.duplicate).toBe(false);
    expect(b.duplicate).toBe(false);
  });

  it('stores the fields as given and stamps the time from its clock', async () => {
    const sentAt = '2026-11-22T10:00:00.000Z';
    const store = anotherStore(table, () => Date.parse(sentAt));
    const { message: stored } = await store.appendMessage({
      room: 'fields',
      id: 'c-7f3a',
      author: 'name:alice',
      sender: 'alice',
      text: 'hello',
    });
    expect(stored).toEqual({
      room: 'fields',
      seq: 1,
      id: 'c-7f3a',
      sender: 'alice',
      text: 'hello',
      sentAt,
    });
    // Reads give the message to anyone: without the id, which went back to its author alone.
    expect((await table.store.readAfter('fields', 0, 1)).messages).toEqual([withoutId(stored)]);
  });
});
