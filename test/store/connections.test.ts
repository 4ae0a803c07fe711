import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { connectionKey, memberKey } from '../../src/store/dynamo/keys.js';
import { type Connection, MEMBER_SHARDS } from '../../src/store/index.js';
import { useTable } from '../support/table.js';

const table = useTable();

const connection = (connectionId: string, room = 'general'): Connection => ({
  connectionId,
  room,
  name: `user-${connectionId}`,
  connectedAt: Date.now(),
  author: `key:author-of-${connectionId}`,
  userId: `id-${connectionId}`.slice(0, 16),
  capabilities: ['read', 'moderate'],
});

const collect = async (room: string, pageSize?: number) => {
  const members: string[] = [];
  for await (const page of table.store.listMembers(room, pageSize ? { pageSize } : {})) {
    members.push(...page.map((m) => m.connectionId));
  }
  return members;
};

// A connection whose $disconnect was lost stops counting 2 hours 15 minutes after it connected,
// as documented (docs/protocol.md, "Presence and typing"): written here, not imported, so a
// change fails.
const CONNECTION_TTL_SECONDS = (2 * 60 + 15) * 60;

describe('connections', () => {
  it('saves a connection with a TTL of connect time plus two hours and a margin', async () => {
    const saved = connection('ttl-1');
    await table.store.saveConnection(saved);
    expect(await table.store.getConnection('ttl-1')).toEqual(saved);
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: connectionKey('ttl-1') }),
    );
    const expected = Math.floor(saved.connectedAt / 1000) + CONNECTION_TTL_SECONDS;
    expect(Item?.expiresAt).toBe(expected);
  });

  it('keeps who a connection is and what it may do, and lists its member with its public id only', async () => {
    await table.store.saveConnection(connection('who-1', 'identities'));
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: memberKey('identities', 'who-1') }),
    );
    expect(Item).toMatchObject({ userId: 'id-who-1' });
    expect(Item).not.toHaveProperty('author');
    const listed = [];
    for await (const page of table.store.listMembers('identities')) listed.push(...page);
    expect(listed).toEqual([
      expect.objectContaining({ connectionId: 'who-1', name: 'user-who-1', userId: 'id-who-1' }),
    ]);
  });

  it('reads a connection stored before identities as it was: its author its subject or name, no public id, read and send', async () => {
    const old = { connectedAt: Date.now(), room: 'legacy' };
    await table.client.send(
      new BatchWriteCommand({
        RequestItems: {
          [table.tableName]: [
            { ...connectionKey('old-named'), connectionId: 'old-named', name: 'alice', ...old },
            {
              ...connectionKey('old-token'),
              connectionId: 'old-token',
              name: 'sam',
              subject: 'u-7',
              ...old,
            },
          ].map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
    expect(await table.store.getConnection('old-named')).toMatchObject({
      author: 'name:alice',
      userId: '',
      capabilities: ['read', 'send'],
    });
    expect(await table.store.getConnection('old-token')).toMatchObject({
      author: 'sub:u-7',
      userId: '',
      capabilities: ['read', 'send'],
    });
  });

  it('removes both the connection and its membership', async () => {
    await table.store.saveConnection(connection('gone-1', 'removal'));
    const removed = await table.store.removeConnection('gone-1');
    expect(removed?.room).toBe('removal');
    expect(await table.store.getConnection('gone-1')).toBeUndefined();
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: memberKey('removal', 'gone-1') }),
    );
    expect(Item).toBeUndefined();
    expect(await collect('removal')).toEqual([]);
  });

  it('treats removing an unknown connection as done, not as an error', async () => {
    await expect(table.store.removeConnection('never-was')).resolves.toBeUndefined();
  });

  it('lists every member of a room larger than one Query page exactly once', async () => {
    const ids = Array.from({ length: 3000 }, (_, n) => `m-${String(n).padStart(4, '0')}`);
    const items = ids.map((id) => ({
      PutRequest: { Item: { ...memberKey('crowd', id), connectionId: id, name: id } },
    }));
    const others = Array.from({ length: 50 }, (_, n) => ({
      PutRequest: {
        Item: { ...memberKey('elsewhere', `o-${n}`), connectionId: `o-${n}`, name: 'o' },
      },
    }));
    const all = [...items, ...others];
    for (let i = 0; i < all.length; i += 25) {
      await table.client.send(
        new BatchWriteCommand({ RequestItems: { [table.tableName]: all.slice(i, i + 25) } }),
      );
    }
    const pages: number[] = [];
    const members: string[] = [];
    for await (const page of table.store.listMembers('crowd', { pageSize: 1000 })) {
      pages.push(page.length);
      members.push(...page.map((m) => m.connectionId));
    }
    expect(pages.length).toBeGreaterThan(1);
    expect(members.sort()).toEqual(ids);

    // Shard by shard, in pages of 40, the same members: each in exactly one shard.
    const sharded: string[] = [];
    for (let shard = 0; shard < MEMBER_SHARDS; shard++) {
      for await (const page of table.store.listMembers('crowd', {
        shards: [shard],
        pageSize: 40,
      })) {
        for (const member of page) expect(member.shard).toBe(shard);
        sharded.push(...page.map((m) => m.connectionId));
      }
    }
    expect(sharded.sort()).toEqual(ids);
  });

  it('samples a room’s first members in shard order and says whether that was all of them', async () => {
    const ids = Array.from({ length: 120 }, (_, n) => `s-${n}`);
    await Promise.all(ids.map((id) => table.store.saveConnection(connection(id, 'sampled'))));
    const part = await table.store.sampleMembers('sampled', 50);
    expect(part.complete).toBe(false);
    expect(part.members).toHaveLength(50);
    const shards = part.members.map((m) => m.shard);
    expect(shards).toEqual([...shards].sort((a, b) => a - b));
    const whole = await table.store.sampleMembers('sampled', 121);
    expect(whole.complete).toBe(true);
    expect(whole.members.map((m) => m.connectionId).sort()).toEqual([...ids].sort());
  });

  it('does not list the room log, head or idempotency items as members', async () => {
    await table.store.saveConnection(connection('only-1', 'mixed'));
    await table.store.appendMessage({
      room: 'mixed',
      id: 'x',
      author: 'name:a',
      sender: 'a',
      text: 'hi',
    });
    expect(await collect('mixed')).toEqual(['only-1']);
  });
});
