import { setTimeout } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { connectEvent, disconnectEvent, lambdaContext } from '../support/events.js';
import { useFileEnv } from '../support/file-env.js';
import { useHandler } from '../support/handler-harness.js';
import { pausableClock } from '../support/pausable-clock.js';
import { roomItems } from '../support/table.js';

const INTERVAL_MS = 400;

// Read once per container, like every setting: every room above one connection is a big one.
const settings = { PRESENCE_NOTICES_UP_TO: '1', OCCUPANCY_INTERVAL_MS: String(INTERVAL_MS) };
useFileEnv(settings);

// The handler's clock: paused, no interval ends (and no held-back update goes out) until a test
// moves it, however long the invocations in between take.
const clock = pausableClock();
const { table, aws, invoke, runInvocations } = useHandler({ now: clock.now });
afterEach(() => clock.resume());

const join = async (room: string, ids: string[]) => {
  for (const id of ids) await invoke(connectEvent(id, { room, name: id }));
  await runInvocations();
};

const counts = (connectionId: string) =>
  aws
    .delivered(connectionId)
    .filter((f) => f.type === 'occupancy')
    .map((f) => f.count);

/**
 * Stops the clock one interval after whatever the joins sent, so the room's rate admits exactly
 * the next update and holds back every later one until the clock moves.
 */
const pauseWithRateFree = () => {
  clock.pause();
  clock.advance(INTERVAL_MS);
  aws.reset();
};

/** Whether someone holds the room's trailer now: its claim on the room's presence item. */
const trailerClaimed = async (room: string) =>
  (await roomItems(table, room)).some(
    (item) =>
      item.sk === 'PRESENCE' &&
      typeof item.trailerUntil === 'number' &&
      item.trailerUntil > clock.now(),
  );

/**
 * Runs a change to `room`; `became` tells whether its invocation waits as the room's trailer
 * (the room's trailer is claimed while it runs) or returned first.
 */
const change = (room: string, event: Parameters<typeof invoke>[0]) => {
  const done = invoke(event, plentyOfTime());
  let returned = false;
  void done.then(() => {
    returned = true;
  });
  const became = async () => {
    for (;;) {
      if (returned) return 'returned';
      if (await trailerClaimed(room)) return 'waits';
      await setTimeout(20);
    }
  };
  return { became: became(), done };
};

/**
 * An invocation's context with time to spare: a trailer in it waits for the paused clock rather
 * than giving up, so a change that wrongly waits never returns.
 */
const plentyOfTime = () => lambdaContext(() => 600_000);

describe('coalesced updates in a big room', () => {
  it('follows a change the rate held back with a trailing update that counts it', async () => {
    await join('trail', ['t-watch', 't-1', 't-2', 't-3']);
    pauseWithRateFree();
    await invoke(disconnectEvent('t-1'));
    expect(counts('t-watch')).toEqual([3]);
    // Within the same interval: held back, its invocation waits as the trailer.
    const trailer = change('trail', disconnectEvent('t-2'));
    expect(await trailer.became).toBe('waits');
    expect(counts('t-watch')).toEqual([3]);
    clock.advance(INTERVAL_MS);
    await trailer.done;
    expect(counts('t-watch')).toEqual([3, 2]);
  });

  it('has one trailer per room: a change while it waits returns at once, and the trailer counts it', async () => {
    await join('one-trailer', ['o-watch', 'o-1', 'o-2', 'o-3', 'o-4']);
    pauseWithRateFree();
    await invoke(disconnectEvent('o-1'));
    expect(counts('o-watch')).toEqual([4]);
    const trailer = change('one-trailer', disconnectEvent('o-2'));
    expect(await trailer.became).toBe('waits');
    // Two more changes while it waits: each returns though the clock stands still (a second
    // trailer would wait for it), and neither posts.
    await invoke(disconnectEvent('o-3'), plentyOfTime());
    await invoke(connectEvent('o-5', { room: 'one-trailer', name: 'o-5' }), plentyOfTime());
    for (const replay of aws.invocations.splice(0)) await invoke(replay, plentyOfTime());
    expect(counts('o-watch')).toEqual([4]);
    clock.advance(INTERVAL_MS);
    await trailer.done;
    // One update after the first, counting every change: o-watch, o-4 and o-5.
    expect(counts('o-watch')).toEqual([4, 3]);
  });
});
