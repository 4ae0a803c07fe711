import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { headKey } from '../../src/store/dynamo/keys.js';
import { anotherContainer, useTable } from '../support/table.js';

const table = useTable();
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, n) => from + n);
const message = (room: string, n: number) => ({
  room,
  author: `name:w${n}`,
  sender: `w${n}`,
  text: `m${n}`,
});
const storedCreated = async (room: string) => {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: headKey(room), ConsistentRead: true }),
  );
  return Item?.created;
};

/** Writers in containers whose clocks each read their own time, all appending at once. */
const appendAtOnce = async (
  room: string,
  clocks: number[],
  roomRate?: { perSecond: number; burst: number },
) => {
  const results = await Promise.all(
    clocks.map((at, n) =>
      anotherContainer(table, () => at).store.appendMessage(
        message(room, n),
        roomRate ? { roomRate } : {},
      ),
    ),
  );
  return results.map((r) => r.message.seq);
};

describe.each([
  ['a plain claim', undefined],
  ['a claim charged to the room’s rate', { perSecond: 100, burst: 1_000 }],
])('a log’s created, with %s', (_path, roomRate) => {
  const room = roomRate ? 'created-rated' : 'created-plain';

  it('is stamped by the first claim and kept by every later one, however many claim at once', async () => {
    expect(await table.store.logCreated(room)).toBeUndefined();
    const first = range(1, 30).map((n) => 1_000_000 + n);
    const seqs = await appendAtOnce(room, first, roomRate);
    expect([...seqs].sort((a, b) => a - b)).toEqual(range(1, 30));
    // The writer that claimed seq 1 read its clock before the claim stamped the log.
    const stamp = first[seqs.indexOf(1)];
    expect(await storedCreated(room)).toBe(stamp);

    await appendAtOnce(
      room,
      range(1, 30).map((n) => 9_000_000 + n),
      roomRate,
    );
    expect(await table.store.lastSeq(room)).toBe(60);
    expect(await storedCreated(room)).toBe(stamp);
    expect(await table.store.logCreated(room)).toBe(stamp);
    expect(await anotherContainer(table).store.logCreated(room)).toBe(stamp);
  });
});

describe('reading a log’s created', () => {
  it('finds none while the room has never had a message, and finds it once one arrives', async () => {
    const { store } = anotherContainer(table, () => 5_000);
    expect(await store.logCreated('created-later')).toBeUndefined();
    await store.appendMessage(message('created-later', 1));
    // Nothing was remembered while there was none.
    expect(await store.logCreated('created-later')).toBe(5_000);
  });

  it('gives a log claimed before logs had identities one, once, the same for every container', async () => {
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...headKey('created-legacy'), lastSeq: 7 },
      }),
    );
    const stamp = await anotherContainer(table, () => 7_000).store.logCreated('created-legacy');
    expect(stamp).toBe(7_000);
    expect(await anotherContainer(table, () => 8_000).store.logCreated('created-legacy')).toBe(
      7_000,
    );
    expect(await table.store.lastSeq('created-legacy')).toBe(7);
  });
});
