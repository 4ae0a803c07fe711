import { beforeAll, describe, expect, it } from 'vitest';
import { seedRoom, useTable } from '../support/table.js';

const table = useTable();
const big = 'x'.repeat(4096);

const fill = (room: string, count: number, text: (n: number) => string) =>
  seedRoom(table.store, room, count, text);

describe('reading the log', () => {
  beforeAll(async () => {
    await fill('large', 400, (n) => `${n}:${big}`);
    await fill('small', 30, (n) => `m${n}`);
  });

  it('reads a log larger than one 1 MB Query page completely and in order', async () => {
    const { messages, hasMore } = await table.store.readAfter('large', 0, 1000);
    expect(hasMore).toBe(false);
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(messages[399]?.text.startsWith('400:')).toBe(true);
  });

  it('reads exactly the messages after a seq', async () => {
    const { messages, hasMore } = await table.store.readAfter('small', 25, 100);
    expect(messages.map((m) => m.seq)).toEqual([26, 27, 28, 29, 30]);
    expect(hasMore).toBe(false);
  });

  it('caps a read after a seq and says there is more', async () => {
    const { messages, hasMore } = await table.store.readAfter('small', 10, 5);
    expect(messages.map((m) => m.seq)).toEqual([11, 12, 13, 14, 15]);
    expect(hasMore).toBe(true);
  });

  it('reads the newest messages before a seq, ascending, with hasMore', async () => {
    const page = await table.store.readBefore('small', 20, 5);
    expect(page.messages.map((m) => m.seq)).toEqual([15, 16, 17, 18, 19]);
    expect(page.hasMore).toBe(true);
    const first = await table.store.readBefore('small', 4, 5);
    expect(first.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(first.hasMore).toBe(false);
  });

  it('reads the latest messages when no seq is given', async () => {
    const page = await table.store.readBefore('small', undefined, 3);
    expect(page.messages.map((m) => m.seq)).toEqual([28, 29, 30]);
    expect(page.hasMore).toBe(true);
  });

  it('pages back across 1 MB pages with before and limit', async () => {
    const page = await table.store.readBefore('large', 301, 100);
    expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 201));
    expect(page.hasMore).toBe(true);
  });

  it('returns nothing before seq 1 and nothing for an empty room', async () => {
    const empty = { messages: [], skipped: [], hasMore: false };
    expect(await table.store.readBefore('small', 1, 10)).toEqual(empty);
    expect(await table.store.readAfter('nobody', 0, 10)).toEqual(empty);
  });
});
