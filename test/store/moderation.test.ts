import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { moderationKey } from '../../src/store/dynamo/keys.js';
import {
  HOLE_GRACE_MS,
  type ModerationEvent,
  ModerationFullError,
  type NewModeration,
  NotRestrictedError,
  type RoomModeration,
  type Store,
  StoreThrottledError,
} from '../../src/store/index.js';
import { recordCommands } from '../support/command-recorder.js';
import { injectFault, serviceError } from '../support/faults.js';
import { anotherContainer, anotherStore, roomItems, useTable } from '../support/table.js';

const table = useTable();

const mod = { userId: 'MODERATOR-000001', name: 'mod' };

/** An action by `mod` in `room`. */
const act = (room: string, action: DistributiveOmit<NewModeration, 'room' | 'by'>) =>
  ({ room, by: mod, ...action }) as NewModeration;

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

const stateItem = async (room: string) =>
  (
    await table.client.send(
      new GetCommand({
        TableName: table.tableName,
        Key: moderationKey(room),
        ConsistentRead: true,
      }),
    )
  ).Item;

/** Every seq from 1 to the head, as the log resolves it: nothing may be missing. */
const resolvedSeqs = async (room: string) => {
  const page = await table.store.readAfter(room, 0, 1_000);
  return [
    ...page.messages.map((m) => m.seq),
    ...(page.updates ?? []).map((u) => u.seq),
    ...(page.moderation ?? []).map((m) => m.seq),
    ...page.skipped,
  ].sort((a, b) => a - b);
};

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** The room's state as folding its log's moderation events in seq order gives it. */
const fold = (events: readonly ModerationEvent[]) => {
  const bans = new Map<string, unknown>();
  const mutes = new Map<string, unknown>();
  let slowModeSeconds = 0;
  let readOnly = false;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const entry = {
      seq: event.seq,
      by: event.by.userId,
      ...(event.until ? { until: Date.parse(event.until) } : {}),
      ...(event.reason ? { reason: event.reason } : {}),
    };
    if (event.action === 'ban') bans.set(event.userId as string, entry);
    if (event.action === 'unban') bans.delete(event.userId as string);
    if (event.action === 'mute') mutes.set(event.userId as string, entry);
    if (event.action === 'unmute') mutes.delete(event.userId as string);
    if (event.slowModeSeconds !== undefined) slowModeSeconds = event.slowModeSeconds;
    if (event.readOnly !== undefined) readOnly = event.readOnly;
  }
  return { bans, mutes, slowModeSeconds, readOnly };
};

const plain = (state: RoomModeration) => ({
  bans: new Map(state.bans),
  mutes: new Map(state.mutes),
  slowModeSeconds: state.slowModeSeconds,
  readOnly: state.readOnly,
});

const moderationOf = async (room: string) =>
  (await table.store.readAfter(room, 0, 1_000)).moderation ?? [];

/** Holds a client's transactions until `release` is called. */
const holdTransactions = (client: DynamoDBDocumentClient) => {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand' && held === 0) {
        held++;
        await released;
      }
      return next(args);
    },
    { step: 'initialize', name: `hold-${Math.random()}` },
  );
  return { release, held: () => held };
};

describe('a room’s moderation state and its log', () => {
  it('writes each action’s event and the state it changes in one transaction', async () => {
    const writer = anotherContainer(table);
    const sent = recordCommands(writer.client);
    const event = await writer.store.appendModeration(
      act('one-tx', { action: 'ban', userId: 'TROLL-0000000001', name: 'troll', reason: 'spam' }),
    );
    expect(event).toEqual({
      seq: 1,
      action: 'ban',
      by: mod,
      userId: 'TROLL-0000000001',
      name: 'troll',
      reason: 'spam',
      at: expect.any(String),
    });
    const writes = sent.commands.filter(
      (c) => c.operation.includes('Write') || c.operation === 'PutItem',
    );
    expect(writes).toHaveLength(1);
    const items = writes[0]?.input.TransactItems as Record<
      string,
      { Key?: unknown; Item?: unknown }
    >[];
    expect(items.map((part) => Object.keys(part)[0])).toEqual(['Put', 'Update']);
    expect(items[1]?.Update?.Key).toEqual(moderationKey('one-tx'));
    expect(await moderationOf('one-tx')).toEqual([event]);
    const state = await table.store.roomModeration('one-tx');
    expect([...state.bans]).toEqual([
      ['TROLL-0000000001', { seq: 1, by: mod.userId, reason: 'spam' }],
    ]);
  });

  it('stores neither the event nor the state when the transaction fails, and resolves its seq', async () => {
    const writer = anotherContainer(table);
    const throttled = () =>
      serviceError('ProvisionedThroughputExceededException', 400, {
        $retryable: { throttling: true },
      });
    injectFault(writer.client, 'TransactWriteItemsCommand', 100, throttled);
    await expect(
      writer.store.appendModeration(
        act('failed-tx', { action: 'mute', userId: 'U-00000000000001' }),
      ),
    ).rejects.toBeInstanceOf(StoreThrottledError);
    expect(await stateItem('failed-tx')).toBeUndefined();
    expect(await table.store.lastSeq('failed-tx')).toBe(1);
    expect((await table.store.readAfter('failed-tx', 0, 10)).skipped).toEqual([1]);
  });

  it('stores a kick as an event alone: it changes no state', async () => {
    const event = await table.store.appendModeration(
      act('kicks', { action: 'kick', userId: 'U-00000000000002', reason: 'cool off' }),
    );
    expect(event).toMatchObject({ seq: 1, action: 'kick', reason: 'cool off' });
    expect(await stateItem('kicks')).toBeUndefined();
    expect(await moderationOf('kicks')).toEqual([event]);
  });

  it('refuses to lift what is not in force, using no seq', async () => {
    await expect(
      table.store.appendModeration(act('nothing', { action: 'unban', userId: 'U-00000000000003' })),
    ).rejects.toBeInstanceOf(NotRestrictedError);
    await expect(
      table.store.appendModeration(
        act('nothing', { action: 'unmute', userId: 'U-00000000000003' }),
      ),
    ).rejects.toThrow('user U-00000000000003 is not muted in room "nothing"');
    expect(await table.store.lastSeq('nothing')).toBe(0);
  });

  it('refuses a new ban or mute in a room that holds 1,000, and still renews one of them', async () => {
    const registers = Object.fromEntries(
      range(1, 1_000).map((n) => [`ban#U-${String(n).padStart(14, '0')}`, { seq: n, by: 'm' }]),
    );
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...moderationKey('full'), ...registers },
      }),
    );
    const full = table.store.appendModeration(
      act('full', { action: 'mute', userId: 'U-NEW0000000001' }),
    );
    await expect(full).rejects.toBeInstanceOf(ModerationFullError);
    await expect(full).rejects.toThrow(
      /room "full" has as many bans and mutes as it may hold \(1000/,
    );
    expect(await table.store.lastSeq('full')).toBe(0);
    // Renewing a ban in force does not grow the state.
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: 'ROOM#full', sk: 'HEAD', lastSeq: 1_000 },
      }),
    );
    const renewed = await table.store.appendModeration(
      act('full', { action: 'ban', userId: 'U-00000000000001', minutes: 5 }),
    );
    expect(renewed.seq).toBe(1_001);
  });

  it('refuses a ban whose reason would take the state past 100 KB', async () => {
    const reason = 'x'.repeat(200);
    const registers = Object.fromEntries(
      range(1, 450).map((n) => [
        `mute#U-${String(n).padStart(14, '0')}`,
        { seq: n, by: 'MODERATOR-000001', reason },
      ]),
    );
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...moderationKey('big'), ...registers },
      }),
    );
    await expect(
      table.store.appendModeration(
        act('big', { action: 'ban', userId: 'U-NEW0000000002', reason }),
      ),
    ).rejects.toBeInstanceOf(ModerationFullError);
  });

  it('prunes lifted and expired entries when the state is next written, and only those', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = anotherStore(table, () => now);
    await store.appendModeration(
      act('prune', { action: 'ban', userId: 'SHORT-0000000001', minutes: 1 }),
    );
    await store.appendModeration(
      act('prune', { action: 'ban', userId: 'LONG-00000000001', minutes: 60 }),
    );
    await store.appendModeration(act('prune', { action: 'mute', userId: 'LIFTED-000000001' }));
    await store.appendModeration(act('prune', { action: 'unmute', userId: 'LIFTED-000000001' }));
    expect(Object.keys((await stateItem('prune')) ?? {}).sort()).toEqual(
      ['ban#LONG-00000000001', 'ban#SHORT-0000000001', 'mute#LIFTED-000000001', 'pk', 'sk'].sort(),
    );
    now += 2 * 60_000;
    await store.appendModeration(act('prune', { action: 'roomsettings', readOnly: true }));
    const item = (await stateItem('prune')) ?? {};
    expect(Object.keys(item).sort()).toEqual(
      ['ban#LONG-00000000001', 'floor', 'pk', 'set#readOnly', 'sk'].sort(),
    );
    expect(item.floor).toBe(5);
    // The log keeps every event: only the state forgets what no longer holds.
    expect((await moderationOf('prune')).map((e) => e.action)).toEqual([
      'ban',
      'ban',
      'mute',
      'unmute',
      'roomsettings',
    ]);
    const state = await store.roomModeration('prune');
    expect([...state.bans.keys()]).toEqual(['LONG-00000000001']);
    expect(state.readOnly).toBe(true);
  });

  it('lands 20 moderators acting at once from separate containers: every seq resolved, the state the fold of the log', async () => {
    const room = 'twenty';
    const users = range(0, 4).map((n) => `USER-00000000000${n}`);
    for (const userId of users) {
      await table.store.appendModeration(act(room, { action: 'ban', userId, reason: 'first' }));
    }
    const writers = Array.from({ length: 20 }, () => anotherStore(table));
    const actions = writers.map((_, n): DistributiveOmit<NewModeration, 'room' | 'by'> => {
      const userId = users[n % users.length] as string;
      switch (n % 5) {
        case 0:
          return { action: 'ban', userId, reason: `ban ${n}`, minutes: n + 1 };
        case 1:
          return { action: 'mute', userId, reason: `mute ${n}` };
        case 2:
          return { action: 'roomsettings', slowModeSeconds: n };
        case 3:
          return { action: 'roomsettings', readOnly: n % 2 === 0, slowModeSeconds: 100 + n };
        default:
          return { action: 'kick', userId };
      }
    });
    const events = await Promise.all(
      writers.map((store, n) => store.appendModeration(act(room, actions[n] as never))),
    );
    expect(new Set(events.map((e) => e.seq)).size).toBe(20);
    const head = await table.store.lastSeq(room);
    expect(await resolvedSeqs(room)).toEqual(range(1, head));
    const log = await moderationOf(room);
    expect(log).toHaveLength(25);
    expect(plain(await table.store.roomModeration(room))).toEqual(fold(log));
  });

  it('never lets an earlier seq that lands late overwrite a later one', async () => {
    const room = 'late-lander';
    const userId = 'LATE-00000000001';
    await table.store.appendModeration(act(room, { action: 'ban', userId, reason: 'first' }));
    const slow = anotherContainer(table);
    const hold = holdTransactions(slow.client);
    const late = slow.store.appendModeration(act(room, { action: 'ban', userId, reason: 'late' }));
    await vi.waitFor(() => expect(hold.held()).toBe(1));
    const lift = await table.store.appendModeration(act(room, { action: 'unban', userId }));
    hold.release();
    const landed = await late;
    expect(landed.seq).toBeLessThan(lift.seq);
    expect((await table.store.roomModeration(room)).bans.size).toBe(0);
    const log = await moderationOf(room);
    expect(log.map((e) => e.action)).toEqual(['ban', 'ban', 'unban']);
    expect(plain(await table.store.roomModeration(room))).toEqual(fold(log));
  });

  it('gives up the seq of an action that lands below a pruned entry, and applies it at a new one', async () => {
    const room = 'below-floor';
    const userId = 'FLOOR-0000000001';
    await table.store.appendModeration(act(room, { action: 'ban', userId, reason: 'first' }));
    const slow = anotherContainer(table);
    const hold = holdTransactions(slow.client);
    const late = slow.store.appendModeration(act(room, { action: 'ban', userId, reason: 'late' }));
    await vi.waitFor(() => expect(hold.held()).toBe(1));
    await table.store.appendModeration(act(room, { action: 'unban', userId }));
    // A later write prunes the lift: the state no longer says what happened at seq 3.
    await table.store.appendModeration(act(room, { action: 'roomsettings', slowModeSeconds: 5 }));
    expect((await stateItem(room))?.floor).toBe(4);
    hold.release();
    const landed = await late;
    expect(landed.seq).toBe(5);
    expect((await table.store.readAfter(room, 0, 10)).skipped).toEqual([2]);
    const log = await moderationOf(room);
    expect(log.map((e) => [e.seq, e.action])).toEqual([
      [1, 'ban'],
      [3, 'unban'],
      [4, 'roomsettings'],
      [5, 'ban'],
    ]);
    expect(plain(await table.store.roomModeration(room))).toEqual(fold(log));
    expect((await table.store.roomModeration(room)).bans.get(userId)?.reason).toBe('late');
  });
});

describe('moderation events in history pages', () => {
  const say = (store: Store, room: string, text: string) =>
    store.appendMessage({ room, author: 'key:alice', sender: 'alice', text });

  it('reads them in seq order beside messages, counted towards the limit, each resolving its seq', async () => {
    const room = 'pages';
    await say(table.store, room, 'one');
    const ban = await table.store.appendModeration(
      act(room, { action: 'ban', userId: 'PAGE-00000000001', name: 'troll', minutes: 10 }),
    );
    await say(table.store, room, 'two');
    const settings = await table.store.appendModeration(
      act(room, { action: 'roomsettings', slowModeSeconds: 30, readOnly: false }),
    );
    const all = await table.store.readAfter(room, 0, 10);
    expect(all.messages.map((m) => m.seq)).toEqual([1, 3]);
    expect(all.moderation).toEqual([ban, settings]);
    expect(settings).toMatchObject({ seq: 4, slowModeSeconds: 30, readOnly: false });
    expect(ban.until).toBe(new Date(Date.parse(ban.at) + 10 * 60_000).toISOString());
    const first = await table.store.readAfter(room, 0, 2);
    expect(first).toMatchObject({ hasMore: true, moderation: [ban] });
    expect(first.messages.map((m) => m.seq)).toEqual([1]);
    const newest = await table.store.readBefore(room, undefined, 1);
    expect(newest).toEqual({ messages: [], skipped: [], moderation: [settings], hasMore: true });
    expect(await resolvedSeqs(room)).toEqual([1, 2, 3, 4]);
  });

  it('leaves a page without moderation events as it was: no moderation field', async () => {
    await say(table.store, 'plain-page', 'hello');
    const page = await table.store.readAfter('plain-page', 0, 10);
    expect(page).not.toHaveProperty('moderation');
  });

  it('will not edit or delete a moderation event as a message', async () => {
    const room = 'not-a-message';
    await table.store.appendModeration(act(room, { action: 'kick', userId: 'K-00000000000001' }));
    const update = { room, target: 1, author: 'key:mod', sender: 'mod' };
    await expect(table.store.editMessage({ ...update, text: 'x' })).rejects.toThrow(
      'there is no message 1 in this room',
    );
    await expect(table.store.deleteMessage(update)).rejects.toThrow(
      'there is no message 1 in this room',
    );
  });

  it('gives an action whose seq a reader gave up a new seq, and still applies it', async () => {
    const room = 'late-hole';
    const slow = anotherContainer(table);
    let stalled = false;
    slow.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && !stalled) {
          stalled = true;
          // While the moderator's write stalls, a message lands above it and a reader gives up.
          const above = await say(table.store, room, 'meanwhile');
          const reader = anotherStore(
            table,
            () => Date.parse(above.message.sentAt) + HOLE_GRACE_MS,
          );
          expect((await reader.readAfter(room, 0, 10)).skipped).toEqual([1]);
        }
        return next(args);
      },
      { step: 'initialize', name: 'stall-first-transaction' },
    );
    const event = await slow.store.appendModeration(
      act(room, { action: 'mute', userId: 'HOLE-00000000001' }),
    );
    expect(event.seq).toBe(3);
    const page = await table.store.readAfter(room, 0, 10);
    expect(page.skipped).toEqual([1]);
    expect(page.moderation).toEqual([event]);
    expect([...(await table.store.roomModeration(room)).mutes.keys()]).toEqual([
      'HOLE-00000000001',
    ]);
    expect(
      (await roomItems(table, room)).filter((item) => item.kind === 'moderation'),
    ).toHaveLength(1);
  });
});

describe('the container’s copy of a room’s state', () => {
  it('serves it for up to maxAgeMs, then reads it again; the moderator’s own container at once', async () => {
    let now = 1_000_000;
    const reader = anotherStore(table, () => now);
    const writer = anotherStore(table, () => now);
    const room = 'cached';
    expect((await reader.roomModeration(room, { maxAgeMs: 1_000 })).readOnly).toBe(false);
    expect((await writer.roomModeration(room, { maxAgeMs: 1_000 })).readOnly).toBe(false);
    await writer.appendModeration(act(room, { action: 'roomsettings', readOnly: true }));
    expect((await writer.roomModeration(room, { maxAgeMs: 1_000 })).readOnly).toBe(true);
    now += 999;
    expect((await reader.roomModeration(room, { maxAgeMs: 1_000 })).readOnly).toBe(false);
    now += 1;
    expect((await reader.roomModeration(room, { maxAgeMs: 1_000 })).readOnly).toBe(true);
  });

  it('reads the state anew when asked for no copy at all', async () => {
    const reader = anotherStore(table);
    const room = 'uncached';
    expect((await reader.roomModeration(room, { maxAgeMs: 60_000 })).readOnly).toBe(false);
    await table.store.appendModeration(act(room, { action: 'roomsettings', readOnly: true }));
    expect((await reader.roomModeration(room, { maxAgeMs: 60_000 })).readOnly).toBe(false);
    expect((await reader.roomModeration(room)).readOnly).toBe(true);
  });
});

describe('slow mode', () => {
  it('admits one message per interval for each person in each room', async () => {
    let now = 5_000_000;
    const store = anotherStore(table, () => now);
    const charge = (userId: string, room = 'slow') => store.chargeSlowMode(room, userId, 10, now);
    expect((await charge('SLOW-00000000001')).outcome).toBe('admitted');
    const refused = await charge('SLOW-00000000001');
    expect(refused).toMatchObject({ outcome: 'limited' });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(8_000);
    expect((await charge('SLOW-00000000002')).outcome).toBe('admitted');
    expect((await charge('SLOW-00000000001', 'other-room')).outcome).toBe('admitted');
    now += 10_000;
    expect((await charge('SLOW-00000000001')).outcome).toBe('admitted');
  });
});
