import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Store, Undelivered } from '../../src/store/index.js';
import { recordCommands } from '../support/command-recorder.js';
import { anotherContainer, anotherStore, useTable } from '../support/table.js';

const table = useTable();

const room = () => `d-${randomUUID().slice(0, 8)}`;
const LEASE_MS = 10_000;

/**
 * One invocation's part, as the deliverer runs it: offers its message and, holding the lease,
 * delivers round after round until nothing waits. Returns the seqs it delivered, round by round.
 */
const sendAndDeliver = async (store: Store, name: string, message: Undelivered) => {
  const owner = randomUUID();
  const offered = await store.offerForDelivery(name, message, owner, Date.now() + LEASE_MS);
  const rounds: number[][] = [];
  if (!offered.claimed) return rounds;
  let pending: Undelivered[] | undefined = offered.pending;
  while (pending) {
    rounds.push(pending.map(({ seq }) => seq));
    // Posting takes a while: other invocations offer meanwhile.
    await sleep(Math.random() * 5);
    const ended = await store.endRound(name, owner, pending, { roundAt: Date.now(), posts: 1 });
    if (ended.outcome !== 'more') break;
    pending = await store.startRound(name, owner, Date.now() + LEASE_MS, pending);
  }
  return rounds;
};

describe('a room’s delivery lease in the store', () => {
  it('has every message of 200 concurrent senders, in separate containers, delivered exactly once, in rounds of ascending seq', async () => {
    const name = room();
    const stores = Array.from({ length: 8 }, () => anotherStore(table));
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        await sleep(Math.random() * 50);
        const store = stores[i % stores.length] as Store;
        return sendAndDeliver(store, name, { seq: i + 1, from: `conn-${i}` });
      }),
    );
    const rounds = results.flat();
    const delivered = rounds.flat();
    expect(delivered.toSorted((a, b) => a - b)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    for (const round of rounds) expect(round).toEqual(round.toSorted((a, b) => a - b));
    // Batched: far fewer rounds than messages.
    expect(rounds.length).toBeLessThan(200);
    // Nothing left waiting, and the lease is free: the next message is delivered by its sender.
    const next = await table.store.offerForDelivery(
      name,
      { seq: 201, from: 'c' },
      'last',
      Date.now() + LEASE_MS,
    );
    expect(next).toEqual({
      claimed: true,
      pending: [{ seq: 201, from: 'c' }],
      lastRoundAt: expect.any(Number),
      lastPosts: 1,
    });
  });

  it('keeps the sender of each waiting message, so that the deliverer can leave it out', async () => {
    const name = room();
    const first = await table.store.offerForDelivery(
      name,
      { seq: 1, from: 'alice:1' },
      'a',
      Date.now() + LEASE_MS,
    );
    expect(first).toMatchObject({
      claimed: true,
      pending: [{ seq: 1, from: 'alice:1' }],
      lastRoundAt: undefined,
    });
    expect(
      await table.store.offerForDelivery(name, { seq: 2, from: 'bob' }, 'b', Date.now() + LEASE_MS),
    ).toEqual({
      claimed: false,
    });
    expect(
      await table.store.endRound(name, 'a', [{ seq: 1, from: 'alice:1' }], {
        roundAt: Date.now(),
        posts: 1,
      }),
    ).toEqual({ outcome: 'more' });
    expect(
      await table.store.startRound(name, 'a', Date.now() + LEASE_MS, [{ seq: 1, from: 'alice:1' }]),
    ).toEqual([{ seq: 2, from: 'bob' }]);
  });

  it('lets the next message take the lease of a deliverer that died, with what it left undelivered', async () => {
    let clock = Date.now();
    const store = anotherStore(table, () => clock);
    const name = room();
    const dead = await store.offerForDelivery(
      name,
      { seq: 1, from: 'a' },
      'dead',
      clock + LEASE_MS,
    );
    expect(dead.claimed).toBe(true);
    // It dies before ending its round. Until its lease runs out, messages wait for it.
    expect(
      await store.offerForDelivery(name, { seq: 2, from: 'b' }, 'second', clock + LEASE_MS),
    ).toEqual({
      claimed: false,
    });
    clock += LEASE_MS + 1;
    const next = await store.offerForDelivery(
      name,
      { seq: 3, from: 'c' },
      'third',
      clock + LEASE_MS,
    );
    expect(next).toMatchObject({
      claimed: true,
      pending: [
        { seq: 1, from: 'a' },
        { seq: 2, from: 'b' },
        { seq: 3, from: 'c' },
      ],
    });
    // Should the dead one come back, its lease is gone: it neither releases nor removes anything.
    expect(
      await store.endRound(name, 'dead', [{ seq: 1, from: 'a' }], {
        roundAt: Date.now(),
        posts: 1,
      }),
    ).toEqual({
      outcome: 'lost',
    });
    expect(await store.startRound(name, 'dead', clock + LEASE_MS)).toBeUndefined();
    expect(await store.startRound(name, 'third', clock + LEASE_MS)).toHaveLength(3);
  });

  it('gives the lease up with messages still waiting when told to, and the next message takes them', async () => {
    const name = room();
    await table.store.offerForDelivery(name, { seq: 1, from: 'a' }, 'short', Date.now() + LEASE_MS);
    await table.store.offerForDelivery(name, { seq: 2, from: 'b' }, 'other', Date.now() + LEASE_MS);
    expect(
      await table.store.endRound(name, 'short', [{ seq: 1, from: 'a' }], {
        roundAt: Date.now(),
        posts: 1,
        giveUp: true,
      }),
    ).toEqual({
      outcome: 'released',
    });
    const next = await table.store.offerForDelivery(
      name,
      { seq: 3, from: 'c' },
      'next',
      Date.now() + LEASE_MS,
    );
    expect(next).toMatchObject({
      claimed: true,
      pending: [
        { seq: 2, from: 'b' },
        { seq: 3, from: 'c' },
      ],
    });
  });

  it('costs one write to offer a message, whether it takes the lease or finds it held', async () => {
    const name = room();
    const { client, store } = anotherContainer(table);
    const recorder = recordCommands(client);
    const until = Date.now() + LEASE_MS;
    expect(
      (await store.offerForDelivery(name, { seq: 1, from: 'a' }, 'first', until)).claimed,
    ).toBe(true);
    expect(
      (await store.offerForDelivery(name, { seq: 2, from: 'b' }, 'second', until)).claimed,
    ).toBe(false);
    expect(recorder.counts()).toEqual({ UpdateItem: 2 });
  });
});
