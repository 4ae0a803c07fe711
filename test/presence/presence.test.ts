import { afterEach, describe, expect, it, vi } from 'vitest';
import { chatOnClock } from '../support/chat-on-clock.js';
import { useChatServer } from '../support/chat-server.js';
import { keyProtocols, newKey } from '../support/keys.js';
import { registerMembers } from '../support/members.js';
import { pausableClock } from '../support/pausable-clock.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

const open: TestClient[] = [];
afterEach(() => {
  for (const client of open.splice(0)) client.ws.close();
});

/** Past the connection TTL (2 h 15 min): a member whose `$disconnect` was lost long ago. */
const LONG_AGO = 3 * 3_600_000;

const framesOf = (client: TestClient, type: string) => client.frames.filter((f) => f.type === type);

describe('presence in a small room', () => {
  const stack = useChatServer({ OCCUPANCY_INTERVAL_MS: '300', AWS_LAMBDA_LOG_LEVEL: 'warn' });

  /**
   * Connects as `name` to `room` (offering `key`, when given) and waits for its presence snapshot
   * (after its history).
   */
  const join = async (room: string, name: string, key?: Uint8Array) => {
    const client = await connectClient(
      `${stack.wsUrl}/?room=${room}&name=${name}`,
      key ? { protocols: keyProtocols(key) } : {},
    );
    open.push(client);
    await client.next((f) => f.type === 'presence');
    return client;
  };

  /** The public id its `session` frame gave a client. */
  const userIdOf = (client: TestClient) => framesOf(client, 'session')[0]?.userId as string;

  it('sends a newcomer who is there after its history, and answers who with names, people, their tabs and count', async () => {
    const aliceKey = newKey();
    const alice = await join('names', 'alice', aliceKey);
    expect(alice.frames.map((f) => f.type)).toEqual(['session', 'history', 'presence']);
    const aliceId = userIdOf(alice);
    expect(alice.frames[2]).toEqual({
      type: 'presence',
      room: 'names',
      count: 1,
      names: ['alice'],
      members: [{ userId: aliceId, name: 'alice' }],
      more: false,
    });
    const bobId = userIdOf(await join('names', 'bob'));
    // A second tab of alice's (her key): counted twice, named once, one person.
    const tab = await join('names', 'alice', aliceKey);
    expect(userIdOf(tab)).toBe(aliceId);
    expect(framesOf(tab, 'presence')[0]).toMatchObject({ count: 3, names: ['alice', 'bob'] });
    // Someone else who calls himself alice: one name, two people.
    const other = await join('names', 'alice');
    const otherId = userIdOf(other);
    expect(otherId).not.toBe(aliceId);
    alice.ws.send(JSON.stringify({ action: 'who' }));
    await vi.waitFor(() => expect(framesOf(alice, 'presence')).toHaveLength(2));
    expect(framesOf(alice, 'presence')[1]).toEqual({
      type: 'presence',
      room: 'names',
      count: 4,
      names: ['alice', 'bob'],
      members: [
        ...[
          // Her two tabs: one person with `tabs`, so a page counts people, not connections.
          { userId: aliceId, name: 'alice', tabs: 2 },
          { userId: otherId, name: 'alice' },
        ].sort((a, b) => (a.userId < b.userId ? -1 : 1)),
        { userId: bobId, name: 'bob' },
      ],
      more: false,
    });
  });

  it('tells the others of a join and a leave, with the count and who it is, and never the joiner of its own join', async () => {
    const carol = await join('notices', 'carol');
    const dave = await join('notices', 'dave');
    const daveId = userIdOf(dave);
    await carol.next((f) => f.type === 'join' && f.name === 'dave');
    expect(framesOf(carol, 'join')).toEqual([
      { type: 'join', room: 'notices', userId: daveId, name: 'dave', count: 2 },
    ]);
    dave.ws.close();
    expect(await carol.next((f) => f.type === 'leave')).toEqual({
      type: 'leave',
      room: 'notices',
      userId: daveId,
      name: 'dave',
      count: 1,
    });
    // (Carol's own join may reach dave if dave arrived while it went out: that is news to dave.)
    expect(framesOf(dave, 'join').filter((f) => f.name === 'dave')).toEqual([]);
  });

  it('announces the leave of a member whose $disconnect was lost once a broadcast prunes it', async () => {
    // Two members the gateway no longer knows: one lost its `$disconnect` an hour ago, the
    // other so long ago that its TTL has passed (DynamoDB has not deleted it yet).
    await registerMembers(stack.store, 'drops', ['ghost']);
    await registerMembers(stack.store, 'drops', ['expired'], LONG_AGO);
    const erin = await join('drops', 'erin');
    // The past-TTL member is never counted or listed; the ghost is, until a post finds it gone.
    expect(framesOf(erin, 'presence')[0]).toMatchObject({ count: 2, names: ['erin', 'ghost'] });
    // Erin's own join notice went to the ghost, and pruned it.
    expect(await erin.next((f) => f.type === 'leave')).toEqual({
      type: 'leave',
      room: 'drops',
      name: 'ghost',
      count: 1,
    });
    expect(await stack.store.getConnection('ghost')).toBeUndefined();
    // A message's broadcast prunes the same way.
    await registerMembers(stack.store, 'drops', ['ghost-2']);
    erin.ws.send(JSON.stringify({ action: 'sendmessage', message: 'anyone there?' }));
    expect(await erin.next((f) => f.type === 'leave' && f.name === 'ghost-2')).toMatchObject({
      count: 1,
    });
    erin.ws.send(JSON.stringify({ action: 'who' }));
    await vi.waitFor(() => expect(framesOf(erin, 'presence')).toHaveLength(2));
    expect(framesOf(erin, 'presence')[1]).toMatchObject({ count: 1, names: ['erin'] });
    expect(framesOf(erin, 'leave').map((f) => f.name)).toEqual(['ghost', 'ghost-2']);
  });
});

describe('presence in a big room', () => {
  const INTERVAL_MS = 500;
  // The handler runs on the test's clock: paused, the whole burst below falls inside one
  // occupancy interval however long the machine takes over it, and the interval ends when the
  // test moves the clock.
  const clock = pausableClock();
  const chat = chatOnClock(clock.now);
  // Above 3 connections a room gets counts instead of notices.
  const stack = useChatServer(
    {
      PRESENCE_NOTICES_UP_TO: '3',
      OCCUPANCY_INTERVAL_MS: String(INTERVAL_MS),
      AWS_LAMBDA_LOG_LEVEL: 'warn',
    },
    { handler: chat.handler },
  );
  afterEach(() => clock.resume());

  const join = async (name: string) => {
    const client = await connectClient(`${stack.wsUrl}/?room=crowd&name=${name}`);
    open.push(client);
    await client.next((f) => f.type === 'presence');
    return client;
  };

  /** Waits until `done` holds; only the test's own timeout bounds it. */
  const until = (done: () => boolean | Promise<boolean>) =>
    vi.waitFor(async () => expect(await done()).toBe(true), { timeout: 50_000, interval: 20 });

  it('sends occupancy once an interval, then a trailing update with the count after a burst of joins and leaves', async () => {
    const watcher = await join('watcher');
    const early = [await join('early-1'), await join('early-2')];
    await watcher.next((f) => f.type === 'join' && f.name === 'early-2');
    // One interval on from anything sent so far, then stopped: the room's occupancy rate admits
    // the burst's first update and holds back the rest until the clock moves.
    clock.pause();
    clock.advance(INTERVAL_MS);
    // A burst: four more join at once, then the two early ones leave.
    const late = await Promise.all(['late-1', 'late-2', 'late-3', 'late-4'].map(join));
    for (const client of early) client.ws.close();
    await Promise.all(early.map((client) => client.closed));
    // Every change written and handled: all that still runs is the one trailer, waiting.
    await until(async () => (await stack.store.countMembers('crowd')) === 5);
    await until(() => chat.inFlight() <= 1);
    // Six changes above the threshold, none of them a notice of its own, one update so far.
    // (A joiner gets its presence frame before the room hears of it, so the two may cross.)
    expect(
      framesOf(watcher, 'join')
        .map((f) => f.name)
        .sort(),
    ).toEqual(['early-1', 'early-2']);
    expect(framesOf(watcher, 'leave')).toEqual([]);
    expect(framesOf(watcher, 'occupancy')).toHaveLength(1);
    // The interval ends: one more update, the trailer's, counting the room as the burst left it.
    clock.advance(INTERVAL_MS);
    await until(() => framesOf(watcher, 'occupancy').length >= 2);
    expect(framesOf(watcher, 'occupancy')).toHaveLength(2);
    expect(framesOf(watcher, 'occupancy')[1]).toEqual({
      type: 'occupancy',
      room: 'crowd',
      count: 5,
    });
    // A newcomer to the big room learns its count too.
    expect(framesOf(late[3] as TestClient, 'presence')[0]).toMatchObject({ type: 'presence' });
    const newcomer = await join('newcomer');
    expect(framesOf(newcomer, 'presence')[0]).toMatchObject({ count: 6, more: false });
  });
});
