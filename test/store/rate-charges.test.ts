import { describe, expect, it } from 'vitest';
import { recordCommands } from '../support/command-recorder.js';
import { anotherContainer, anotherStore, useTable } from '../support/table.js';

const table = useTable();
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, n) => from + n);
const connected = (connectionId: string) =>
  table.store.saveConnection({ connectionId, room: 'r', name: 'n', connectedAt: 0 });
const message = (room: string, n: number) => ({
  room,
  author: `name:w${n}`,
  sender: `w${n}`,
  text: `m${n}`,
});

describe('rate charges in DynamoDB', () => {
  it('charges a room with its claim: 100 writers from 100 containers at once, each at most two head writes', async () => {
    // Sixty messages: each costs two write units, its claim and its put.
    const roomRate = { perSecond: 0.01, burst: 120 };
    const writers = range(1, 100).map(() => anotherContainer(table));
    const recorders = writers.map(({ client }) => recordCommands(client));
    const results = await Promise.allSettled(
      writers.map(({ store }, n) => store.appendMessage(message('room-race', n), { roomRate })),
    );
    const stored = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.message.seq] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(stored.sort((a, b) => a - b)).toEqual(range(1, 60));
    expect(refused).toHaveLength(40);
    expect(refused.every((e) => (e as Error).name === 'RoomBusyError')).toBe(true);
    for (const recorder of recorders) expect(recorder.counts().UpdateItem).toBeLessThanOrEqual(2);
    expect(await table.store.lastSeq('room-race')).toBe(60);
  });

  it('charges a busy room with one write per message once its container has seen it busy', async () => {
    const roomRate = { perSecond: 0.01, burst: 50 };
    const { client, store } = anotherContainer(table);
    const recorder = recordCommands(client);
    for (let n = 1; n <= 20; n++) await store.appendMessage(message('room-busy', n), { roomRate });
    // The first claim finds an idle room; all the others go straight to the busy expression.
    expect(recorder.counts().UpdateItem).toBe(20);
    // Another container that has not seen the room yet pays one extra write, once.
    const fresh = anotherContainer(table);
    const freshRecorder = recordCommands(fresh.client);
    await fresh.store.appendMessage(message('room-busy', 21), { roomRate });
    await fresh.store.appendMessage(message('room-busy', 22), { roomRate });
    expect(freshRecorder.counts().UpdateItem).toBe(3);
  });

  it('admits a whole burst even when charges land out of the order their clocks were read in', async () => {
    const rate = { perSecond: 0.01, burst: 10 };
    const charge = (now: number) =>
      table.store
        .chargeSource('192.0.2.99', { budget: 'frames', rate, cost: 1 }, now)
        .then((c) => c.outcome);
    // The first to land read its clock 40 ms after the nine that follow it.
    expect(await charge(1_000_040)).toBe('admitted');
    for (let n = 2; n <= 10; n++) expect(await charge(1_000_000), `charge ${n}`).toBe('admitted');
    expect(await charge(1_000_000)).toBe('limited');
  });

  it('admits a connection again once its budget has refilled, for either budget', async () => {
    await connected('rc-1');
    const rate = { perSecond: 10, burst: 100 };
    const at = (now: number, cost: number) =>
      table.store.admit('rc-1', { budget: 'history', rate, cost }, now).then((a) => a.outcome);
    expect(await at(1_000, 100)).toBe('admitted');
    expect(await at(1_000, 1)).toBe('limited');
    expect(await at(6_000, 60)).toBe('limited');
    expect(await at(6_000, 50)).toBe('admitted');
    // The frame budget is kept apart.
    expect(
      (
        await table.store.admit(
          'rc-1',
          { budget: 'frames', rate: { perSecond: 1, burst: 1 } },
          6_000,
        )
      ).outcome,
    ).toBe('admitted');
  });
  it('admits frames again once the bucket has refilled, and knows no unknown connection', async () => {
    const limit = { perSecond: 5, burst: 2 };
    await connected('rc-2');
    const at = (now: number) =>
      table.store.admit('rc-2', { budget: 'frames', rate: limit }, now).then((a) => a.outcome);
    expect(await at(1_000)).toBe('admitted');
    expect(await at(1_000)).toBe('admitted');
    expect(await at(1_000)).toBe('limited');
    // One frame refills in 200 ms; half of that is slack for charges whose clocks disagree.
    expect(await at(1_099)).toBe('limited');
    expect(await at(1_100)).toBe('admitted');
    expect(await at(5_000)).toBe('admitted');
    expect(await table.store.admit('rc-nobody', { budget: 'frames', rate: limit }, 0)).toEqual({
      outcome: 'unknown',
    });
  });
});

describe('refusals that cost nothing', () => {
  it('refuses from memory, without a write, what the time it last saw proves over budget', async () => {
    const { client, store } = anotherContainer(table);
    const recorder = recordCommands(client);
    await connected('rc-memory');
    const rate = { perSecond: 0.01, burst: 3 };
    const outcomes = [];
    for (let n = 0; n < 10; n++) {
      outcomes.push((await store.admit('rc-memory', { budget: 'frames', rate }, 1_000)).outcome);
      outcomes.push(
        (await store.chargeSource('192.0.2.77', { budget: 'frames', rate }, 1_000)).outcome,
      );
    }
    expect(outcomes.filter((o) => o === 'admitted')).toHaveLength(6);
    // Three admitted writes per item; the third's time proves every refusal after it.
    expect(recorder.counts().UpdateItem).toBe(6);
  });

  it('refuses a frame from memory without charging its network either, and names a network that refused', async () => {
    const { client, store } = anotherContainer(table);
    await connected('rc-pair');
    const own = { budget: 'frames' as const, rate: { perSecond: 0.01, burst: 1 } };
    const network = {
      sourceIp: '192.0.2.78',
      charge: { budget: 'frames' as const, rate: { perSecond: 0.01, burst: 100 } },
    };
    expect((await store.admit('rc-pair', own, 1_000, network)).outcome).toBe('admitted');
    expect(await store.admit('rc-pair', own, 1_000, network)).toEqual({
      outcome: 'limited',
      retryAfterMs: expect.any(Number),
    });
    const recorder = recordCommands(client);
    for (let n = 0; n < 5; n++) await store.admit('rc-pair', own, 1_000, network);
    expect(recorder.commands).toEqual([]);
    const roomy = { budget: 'frames' as const, rate: { perSecond: 0.01, burst: 10 } };
    const tight = { ...network, charge: { ...network.charge, rate: own.rate } };
    expect((await store.admit('rc-pair', roomy, 1_000, tight)).outcome).toBe('limited');
    expect(await anotherStore(table).admit('rc-pair', roomy, 1_000, tight)).toMatchObject({
      outcome: 'limited',
      by: 'network',
    });
  });

  const rule = { windowMs: 4_000, loud: true, counts: true, cutAt: 6, batch: 2 };

  it('answers one refusal per window, whichever container it reaches, and the next window again', async () => {
    await connected('rc-window');
    const [a, b] = [anotherStore(table), anotherStore(table)];
    expect(await a.recordRefusal('rc-window', rule, 10_000)).toBe('told');
    expect(await b.recordRefusal('rc-window', rule, 10_001)).toBe('quiet');
    expect(await a.recordRefusal('rc-window', rule, 13_999)).toBe('quiet');
    expect(await b.recordRefusal('rc-window', rule, 14_000)).toBe('told');
    expect(await a.recordRefusal('rc-window', rule, 14_001)).toBe('quiet');
    expect(await a.recordRefusal('rc-nobody', rule, 10_000)).toBe('unknown');
  });

  it('cuts a connection off exactly once when its window counts enough refusals, over containers', async () => {
    await connected('rc-cut');
    const containers = [anotherContainer(table), anotherContainer(table)];
    const recorders = containers.map(({ client }) => recordCommands(client));
    const verdicts = [];
    for (let n = 0; n < 20; n++) {
      const { store } = containers[n % 2] as (typeof containers)[number];
      verdicts.push(await store.recordRefusal('rc-cut', rule, 20_000 + n));
    }
    expect(verdicts.filter((v) => v === 'told')).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'cut')).toHaveLength(1);
    expect(verdicts.indexOf('cut')).toBeLessThan(10);
    // One window opened, one lost, a batch of two refusals per write until the cut, and one
    // more from the container that learns of the cut from its next batch.
    const writes = recorders.reduce((sum, r) => sum + (r.counts().UpdateItem ?? 0), 0);
    expect(writes).toBeLessThanOrEqual(6);
  });

  it('lets refusals of the network, not of the connection, be answered but never cut it off', async () => {
    await connected('rc-shared');
    const store = anotherStore(table);
    const network = { ...rule, counts: false };
    const verdicts = [];
    for (let n = 0; n < 20; n++)
      verdicts.push(await store.recordRefusal('rc-shared', network, 30_000));
    expect(verdicts).toEqual(['told', ...Array(19).fill('quiet')]);
  });

  it('counts quiet refusals a batch at a time, and cuts off a quiet flood too', async () => {
    await connected('rc-quiet');
    const { client, store } = anotherContainer(table);
    const recorder = recordCommands(client);
    const quiet = { ...rule, loud: false };
    const verdicts = [];
    for (let n = 0; n < 6; n++) verdicts.push(await store.recordRefusal('rc-quiet', quiet, 40_000));
    expect(verdicts).toEqual(['quiet', 'quiet', 'quiet', 'quiet', 'quiet', 'cut']);
    expect(recorder.counts().UpdateItem).toBe(3);
  });
});

describe('a network blocked from connecting', () => {
  const block = { firstMs: 30_000, maxMs: 100_000 };
  const connects = { budget: 'connects' as const, rate: { perSecond: 1, burst: 60 } };
  const DAY = 24 * 60 * 60 * 1000;

  it('doubles its block per offence within a day, up to the cap, and starts again after a day', async () => {
    const store = anotherStore(table);
    const at = 1_000_000;
    expect(await store.blockSource('192.0.2.80', block, at)).toBe(at + 30_000);
    // Another container, whose first guess (no offence yet) is wrong, costs one more write.
    expect(await anotherStore(table).blockSource('192.0.2.80', block, at + 40_000)).toBe(
      at + 40_000 + 60_000,
    );
    expect(await store.blockSource('192.0.2.80', block, at + 200_000)).toBe(at + 200_000 + 100_000);
    expect(await store.blockSource('192.0.2.80', block, at + 200_000 + DAY + 1)).toBe(
      at + 200_000 + DAY + 1 + 30_000,
    );
  });

  it('refuses its new connections in the write that charges them, and from memory after', async () => {
    const { client, store } = anotherContainer(table);
    const at = 5_000_000;
    const until = await anotherStore(table).blockSource('192.0.2.81', block, at);
    const recorder = recordCommands(client);
    expect(await store.chargeSource('192.0.2.81', connects, at + 1_000)).toEqual({
      outcome: 'limited',
      retryAfterMs: until - at - 1_000,
      blocked: true,
    });
    expect(await store.chargeSource('192.0.2.81', connects, at + 2_000)).toMatchObject({
      blocked: true,
    });
    expect(recorder.counts().UpdateItem).toBe(1);
    expect(await store.chargeSource('192.0.2.81', connects, until + 1)).toEqual({
      outcome: 'admitted',
    });
    // Other budgets of the network are not blocked.
    expect(
      await anotherStore(table).chargeSource(
        '192.0.2.81',
        { budget: 'frames', rate: { perSecond: 1, burst: 10 } },
        at + 1_000,
      ),
    ).toEqual({ outcome: 'admitted' });
  });

  it('tells when a block ends with one read when no connect budget is charged', async () => {
    const { client, store } = anotherContainer(table);
    const recorder = recordCommands(client);
    expect(await store.sourceBlockedUntil('192.0.2.82', 1_000)).toBeUndefined();
    const until = await anotherStore(table).blockSource('192.0.2.82', block, 1_000);
    expect(await store.sourceBlockedUntil('192.0.2.82', 2_000)).toBe(until);
    expect(await store.sourceBlockedUntil('192.0.2.82', until)).toBeUndefined();
    expect(recorder.counts()).toEqual({ GetItem: 3 });
  });
});
