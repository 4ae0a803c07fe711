import { describe, expect, it } from 'vitest';
import { connectEvent, disconnectEvent } from '../support/events.js';
import { useFileEnv } from '../support/file-env.js';
import { useHandler } from '../support/handler-harness.js';

// Read once per container, like every setting: every room above one connection is a big one.
// The interval is long enough for a test's next few invocations to land inside it on a loaded
// machine (at 500 ms, CI's once did not: the trailer went out before the last change it covers).
const settings = { PRESENCE_NOTICES_UP_TO: '1', OCCUPANCY_INTERVAL_MS: '3000' };
useFileEnv(settings);

const { aws, invoke, runInvocations } = useHandler();

const join = async (room: string, ids: string[]) => {
  for (const id of ids) await invoke(connectEvent(id, { room, name: id }));
  await runInvocations();
};

const counts = (connectionId: string) =>
  aws
    .delivered(connectionId)
    .filter((f) => f.type === 'occupancy')
    .map((f) => f.count);

describe('coalesced updates in a big room', () => {
  it('follows a change the rate held back with a trailing update that counts it', async () => {
    await join('trail', ['t-watch', 't-1', 't-2', 't-3']);
    aws.reset();
    // The joins' updates just went out: each leave, within the interval, waits as the trailer
    // and then counts the room.
    await invoke(disconnectEvent('t-1'));
    expect(counts('t-watch')).toEqual([3]);
    await invoke(disconnectEvent('t-2'));
    expect(counts('t-watch')).toEqual([3, 2]);
  });

  it('has one trailer per room: a change while it waits returns at once, and the trailer counts it', async () => {
    await join('one-trailer', ['o-watch', 'o-1', 'o-2', 'o-3', 'o-4']);
    aws.reset();
    await invoke(disconnectEvent('o-1'));
    expect(counts('o-watch')).toEqual([4]);
    let waiterDone = false;
    const waiter = invoke(disconnectEvent('o-2')).then(() => {
      waiterDone = true;
    });
    // Let the first become the trailer, then make two more changes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await invoke(disconnectEvent('o-3'));
    await invoke(connectEvent('o-5', { room: 'one-trailer', name: 'o-5' }));
    await runInvocations();
    expect(waiterDone).toBe(false);
    await waiter;
    // One update after the first, counting every change: o-watch, o-4 and o-5.
    expect(counts('o-watch')).toEqual([4, 3]);
  });
});
