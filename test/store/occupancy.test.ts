import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { connectionKey, networkSocketsKey, roomMembersKey } from '../../src/store/dynamo/keys.js';
import { injectFault, serviceError } from '../support/faults.js';
import { anotherContainer, useTable } from '../support/table.js';

const table = useTable();

const connection = (connectionId: string, room: string, network = '192.0.2.1') => ({
  connectionId,
  room,
  name: connectionId,
  connectedAt: Date.now(),
  network,
});

const countAt = async (key: { pk: string; sk: string }) => {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }),
  );
  return Item?.count as number | undefined;
};

describe('the caps on a network’s sockets and a room’s members', () => {
  it('admits exactly the cap out of 200 connects at once to one room, and counts back to 0 when all leave', async () => {
    const ids = Array.from({ length: 200 }, (_, n) => `storm-${n}`);
    // Three containers, as Lambda would spread a storm; every connect from its own network.
    const stores = [table.store, anotherContainer(table).store, anotherContainer(table).store];
    const seatings = await Promise.all(
      ids.map((id, n) =>
        (stores[n % 3] ?? table.store).saveConnection(connection(id, 'storm', `10.1.${n}.1`), {
          roomMembers: 80,
          networkSockets: 1,
        }),
      ),
    );
    const seated = ids.filter((_, n) => seatings[n]?.outcome === 'seated');
    expect(seated).toHaveLength(80);
    expect(seatings.find((s) => s.outcome === 'full')).toEqual({
      outcome: 'full',
      seat: 'room',
      max: 80,
    });
    expect(await countAt(roomMembersKey('storm'))).toBe(80);
    expect(await table.store.countMembers('storm')).toBe(80);
    // Each refused connect gave its network's place back.
    const refusedNetwork = `10.1.${ids.findIndex((_, n) => seatings[n]?.outcome === 'full')}.1`;
    expect(await countAt(networkSocketsKey(refusedNetwork))).toBe(0);

    // `$disconnect` and a broadcast's prune race for every one of them: one place back each.
    const leave = (leaving: string[]) =>
      Promise.all(
        leaving.flatMap((id, n) => [
          (stores[n % 3] ?? table.store).removeConnection(id),
          (stores[(n + 1) % 3] ?? table.store).removeConnection(id, 'storm'),
        ]),
      );
    await leave(seated.slice(0, 50));
    expect(await countAt(roomMembersKey('storm'))).toBe(30);
    await leave(seated.slice(50));
    expect(await countAt(roomMembersKey('storm'))).toBe(0);
    expect(await countAt(networkSocketsKey('10.1.0.1'))).toBe(0);
  });

  it('counts one network’s sockets over all rooms, and frees a place when one leaves', async () => {
    const caps = { networkSockets: 2 };
    const save = (id: string, room: string) =>
      table.store.saveConnection(connection(id, room, '198.51.100.4'), caps);
    expect(await save('net-1', 'a')).toEqual({ outcome: 'seated', seats: ['network'] });
    expect(await save('net-2', 'b')).toMatchObject({ outcome: 'seated' });
    expect(await save('net-3', 'c')).toEqual({ outcome: 'full', seat: 'network', max: 2 });
    expect(await table.store.getConnection('net-3')).toBeUndefined();
    await table.store.removeConnection('net-1');
    expect(await save('net-4', 'c')).toMatchObject({ outcome: 'seated' });
    expect(
      await table.store.saveConnection(connection('other', 'c', '198.51.100.5'), caps),
    ).toMatchObject({ outcome: 'seated' });
  });

  it('records on the connection which counts it holds a place in, and its network, never an address', async () => {
    await table.store.saveConnection(connection('rec-1', 'rec', '2001:db8:1:2::/64'), {
      networkSockets: 5,
      roomMembers: 5,
    });
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: connectionKey('rec-1') }),
    );
    expect(Item).toMatchObject({ network: '2001:db8:1:2::/64', seats: ['network', 'room'] });
    expect(await table.store.getConnection('rec-1')).toMatchObject({
      network: '2001:db8:1:2::/64',
    });
  });

  it('counts nothing for a cap that is off', async () => {
    expect(await table.store.saveConnection(connection('off-1', 'off'))).toEqual({
      outcome: 'seated',
      seats: [],
    });
    expect(await countAt(roomMembersKey('off'))).toBeUndefined();
    await table.store.removeConnection('off-1');
    expect(await countAt(roomMembersKey('off'))).toBeUndefined();
  });

  it('gives both places back when the connection cannot be written', async () => {
    const { client, store } = anotherContainer(table);
    // Not retried by the SDK: the write fails for good.
    injectFault(client, 'TransactWriteItemsCommand', 1, () =>
      serviceError('ValidationException', 400),
    );
    const caps = { networkSockets: 3, roomMembers: 3 };
    await expect(
      store.saveConnection(connection('fail-1', 'failing', '203.0.113.77'), caps),
    ).rejects.toThrow();
    expect(await countAt(roomMembersKey('failing'))).toBe(0);
    expect(await countAt(networkSocketsKey('203.0.113.77'))).toBe(0);
  });

  it('starts a count again once it has outlived every connection it counted', async () => {
    // Full, but its last place was taken longer ago than any connection can stay open: what is
    // left are places whose `$disconnect` was lost, and TTL has not deleted the item yet.
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...roomMembersKey('stale'),
          count: 3,
          expiresAt: Math.floor(Date.now() / 1000) - 60,
        },
      }),
    );
    expect(
      await table.store.saveConnection(connection('stale-1', 'stale'), { roomMembers: 3 }),
    ).toMatchObject({ outcome: 'seated' });
    expect(await countAt(roomMembersKey('stale'))).toBe(1);
  });
});
