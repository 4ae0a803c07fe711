import { describe, expect, it } from 'vitest';
import { recordCommands } from '../support/command-recorder.js';
import { registerMembers } from '../support/members.js';
import { anotherContainer, useTable } from '../support/table.js';

const table = useTable();

/** Connects `connectionId` as `name` (the person `userId`, when given), `ago` ms before now. */
const join = (room: string, connectionId: string, name: string, ago = 60_000, userId?: string) =>
  table.store.saveConnection({
    connectionId,
    room,
    name,
    connectedAt: Date.now() - ago,
    ...(userId ? { userId } : {}),
  });

/** Past the connection TTL (2 h 15 min): its `$disconnect` was lost, DynamoDB's TTL not yet run. */
const LONG_AGO = 3 * 3_600_000;

const sample = (room: string, limit = 101, namesShown = 100) =>
  table.store.sampleRoom(room, { limit, namesShown });

describe('room presence in the store', () => {
  it('samples a room: live connections counted, distinct names and people sorted, two tabs counted twice and told as tabs', async () => {
    await join('p-small', 'ps-1', 'carol', 60_000, 'u-carol');
    await join('p-small', 'ps-2', 'alice', 60_000, 'u-alice-2');
    // Alice's second tab: the same person.
    await join('p-small', 'ps-3', 'alice', 60_000, 'u-alice-2');
    // Another alice: another person of the same name.
    await join('p-small', 'ps-4', 'alice', 60_000, 'u-alice-1');
    await join('p-small', 'ps-5', 'bob', 60_000, 'u-bob');
    // A member stored before identities: named, but no one's entry.
    await join('p-small', 'ps-6', 'dave');
    expect(await sample('p-small')).toEqual({
      count: 6,
      names: ['alice', 'bob', 'carol', 'dave'],
      members: [
        { userId: 'u-alice-1', name: 'alice' },
        { userId: 'u-alice-2', name: 'alice', tabs: 2 },
        { userId: 'u-bob', name: 'bob' },
        { userId: 'u-carol', name: 'carol' },
      ],
      more: false,
      complete: true,
    });
  });

  it('lists at most as many people as it shows names', async () => {
    for (const n of [1, 2, 3]) await join('p-few', `pf-${n}`, `name-${n}`, 60_000, `u-${n}`);
    expect(await sample('p-few', 101, 2)).toMatchObject({
      names: ['name-1', 'name-2'],
      members: [
        { userId: 'u-1', name: 'name-1' },
        { userId: 'u-2', name: 'name-2' },
      ],
      more: true,
    });
  });

  it('leaves members past their expiresAt out of samples, counts and listings', async () => {
    await join('p-ttl', 'pt-live', 'live');
    await join('p-ttl', 'pt-dead', 'dead', LONG_AGO);
    expect(await sample('p-ttl')).toMatchObject({ count: 1, names: ['live'] });
    expect(await table.store.countMembers('p-ttl')).toBe(1);
    const listed: string[] = [];
    for await (const page of table.store.listMembers('p-ttl'))
      listed.push(...page.map((m) => m.connectionId));
    expect(listed).toEqual(['pt-live']);
    // A member counts until the moment it expires, by the store's clock.
    const later = anotherContainer(table, () => Date.now() + LONG_AGO).store;
    expect(await later.countMembers('p-ttl')).toBe(0);
  });

  it('says a sample is not the whole room, and that there are more names, when the Query stopped short', async () => {
    const ids = Array.from({ length: 12 }, (_, n) => `pb-${String(n).padStart(2, '0')}`);
    await registerMembers(table.store, 'p-big', ids);
    const partial = await sample('p-big', 5, 100);
    expect(partial).toMatchObject({ count: 5, more: true, complete: false });
    expect(partial.names).toHaveLength(5);
    const whole = await sample('p-big', 13, 4);
    expect(whole).toMatchObject({ count: 12, more: true, complete: true });
    expect(whole.names).toEqual([...ids].sort().slice(0, 4));
  });

  it('counts a whole room with COUNT Queries of its members, never a Scan and never the items', async () => {
    const ids = Array.from({ length: 230 }, (_, n) => `pc-${n}`);
    await registerMembers(table.store, 'p-count', ids);
    await join('p-count', 'pc-dead', 'dead', LONG_AGO);
    const { client, store } = anotherContainer(table);
    const recorder = recordCommands(client);
    expect(await store.countMembers('p-count')).toBe(230);
    expect(recorder.commands.every((c) => c.operation === 'Query')).toBe(true);
    expect(recorder.commands.every((c) => c.input.Select === 'COUNT')).toBe(true);
  });

  it('charges a room’s presence rates apart from one another', async () => {
    const rate = { perSecond: 0.01, burst: 2 };
    const now = Date.now();
    const charge = (kind: 'notices' | 'typing') =>
      table.store.chargeRoom('p-rates', { kind, rate }, now).then((c) => c.outcome);
    expect([await charge('notices'), await charge('notices'), await charge('notices')]).toEqual([
      'admitted',
      'admitted',
      'limited',
    ]);
    expect(await charge('typing')).toBe('admitted');
  });

  it('lets one caller at a time be a room’s trailer, until it ends with its charge or its claim runs out', async () => {
    const now = Date.now();
    const rate = { perSecond: 1, burst: 1 };
    expect(await table.store.claimTrailer('p-trail', now + 10_000, now)).toBe(true);
    expect(await table.store.claimTrailer('p-trail', now + 10_000, now)).toBe(false);
    // The trailer's own charge ends its claim in the same write.
    await table.store.chargeRoom('p-trail', { kind: 'occupancy', rate, endTrailer: true }, now);
    expect(await table.store.claimTrailer('p-trail', now + 20_000, now)).toBe(true);
    // A trailer that died frees the room once its claim has run out.
    expect(await table.store.claimTrailer('p-trail', now + 30_000, now + 5_000)).toBe(false);
    expect(await table.store.claimTrailer('p-trail', now + 40_000, now + 20_001)).toBe(true);
    // Releasing someone else's claim does nothing.
    await table.store.releaseTrailer('p-trail', now + 20_000);
    expect(await table.store.claimTrailer('p-trail', now + 50_000, now + 20_002)).toBe(false);
    await table.store.releaseTrailer('p-trail', now + 40_000);
    expect(await table.store.claimTrailer('p-trail', now + 50_000, now + 20_002)).toBe(true);
  });

  it('caches a room’s count, and a slower count taken earlier never overwrites a newer one', async () => {
    expect(await table.store.readCachedCount('p-cache')).toBeUndefined();
    await table.store.cacheCount('p-cache', { count: 40, countedAt: 2_000 });
    await table.store.cacheCount('p-cache', { count: 39, countedAt: 1_000 });
    expect(await table.store.readCachedCount('p-cache')).toEqual({ count: 40, countedAt: 2_000 });
    await table.store.cacheCount('p-cache', { count: 41, countedAt: 3_000 });
    expect(await table.store.readCachedCount('p-cache')).toEqual({ count: 41, countedAt: 3_000 });
  });

  it('charges a connection’s typing rate on its own item, and only while the connection exists', async () => {
    await join('p-typing', 'py-1', 'typist');
    const rate = { perSecond: 1 / 3, burst: 1 };
    const now = Date.now();
    const admitted = await table.store.admit('py-1', { budget: 'typing', rate }, now);
    expect(admitted).toMatchObject({ outcome: 'admitted', connection: { name: 'typist' } });
    expect(await table.store.admit('py-1', { budget: 'typing', rate }, now + 10)).toMatchObject({
      outcome: 'limited',
    });
    // Its frame budget is another attribute: untouched by typing.
    expect(
      await table.store.admit('py-1', { budget: 'frames', rate: { perSecond: 1, burst: 1 } }, now),
    ).toMatchObject({ outcome: 'admitted' });
    expect(await table.store.admit('py-none', { budget: 'typing', rate }, now)).toEqual({
      outcome: 'unknown',
    });
  });
});
