import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { messageKey } from '../../src/store/keys.js';
import { anotherStore, useTable } from '../support/table.js';

const table = useTable();

const message = (room: string, text: string, id?: string) => ({
  room,
  sender: 'alice',
  text,
  sentAt: new Date().toISOString(),
  ...(id !== undefined ? { id } : {}),
});

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('appendMessage', () => {
  it('gives 200 appends from 20 concurrent writers the seqs 1..200 with no duplicates or holes', async () => {
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
    const seqs = results.flat().sort((a, b) => a - b);
    expect(seqs).toEqual(range(1, 200));
    const log = await table.store.readAfter('busy', 0, 500);
    expect(log.messages.map((m) => m.seq)).toEqual(range(1, 200));
    expect(new Set(log.messages.map((m) => m.text)).size).toBe(200);
  });

  it('gives a sequentially retried id its original seq and stores one event', async () => {
    const first = await table.store.appendMessage(message('retry-seq', 'hello', 'c-1'));
    const again = await table.store.appendMessage(message('retry-seq', 'hello', 'c-1'));
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ message: first.message, duplicate: true });
    const log = await table.store.readAfter('retry-seq', 0, 10);
    expect(log.messages).toHaveLength(1);
  });

  it('gives concurrent retries of one id the same seq and stores one event', async () => {
    const stores = Array.from({ length: 8 }, () => anotherStore(table));
    const results = await Promise.all(
      stores.map((store) => store.appendMessage(message('retry-race', 'once', 'c-race'))),
    );
    expect(new Set(results.map((r) => r.message.seq))).toEqual(new Set([1]));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const log = await table.store.readAfter('retry-race', 0, 10);
    expect(log.messages).toHaveLength(1);
    expect(log.messages[0]?.id).toBe('c-race');
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

  it('stores the server-side fields exactly as given', async () => {
    const sentAt = '2026-11-22T10:00:00.000Z';
    const { message: stored } = await table.store.appendMessage({
      room: 'fields',
      id: 'c-7f3a',
      sender: 'alice',
      text: 'hello',
      sentAt,
    });
    expect(stored).toEqual({
      room: 'fields',
      seq: 1,
      id: 'c-7f3a',
      sender: 'alice',
      text: 'hello',
      sentAt,
    });
    expect((await table.store.readAfter('fields', 0, 1)).messages).toEqual([stored]);
  });
});
