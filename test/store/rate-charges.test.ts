import { describe, expect, it } from 'vitest';
import { recordCommands } from '../support/command-recorder.js';
import { anotherContainer, useTable } from '../support/table.js';

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
    const roomRate = { perSecond: 0.01, burst: 60 };
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
