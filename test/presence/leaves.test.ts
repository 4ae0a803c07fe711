import { describe, expect, it, vi } from 'vitest';
import { connectEvent, disconnectEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

const { aws, invoke, runInvocations } = useHandler();

/** Connected a minute ago: settled, so a 410 prunes it at once. */
const settled = { connectedAt: Date.now() - 60_000 };

const leaves = (connectionId: string) =>
  aws.delivered(connectionId).filter((f) => f.type === 'leave');

/** The public id a connection's `session` frame gave it. */
const userIdOf = (connectionId: string) =>
  aws.delivered(connectionId).find((f) => f.type === 'session')?.userId;

describe('leaves', () => {
  it('announces a leave once when $disconnect and a prune race to remove the same connection', async () => {
    for (let n = 0; n < 5; n++) {
      const room = `race-${n}`;
      const [stays, goes] = [`${room}-stays`, `${room}-goes`];
      await invoke(connectEvent(stays, { room, name: 'stays' }, settled));
      await invoke(connectEvent(goes, { room, name: 'goes' }, settled));
      await runInvocations();
      const goesId = userIdOf(goes);
      aws.gone.add(goes);
      await Promise.all([
        invoke(disconnectEvent(goes)),
        invoke(sendFrame(stays, { message: `race ${n}` })),
      ]);
      expect(leaves(stays)).toEqual([
        { type: 'leave', room, userId: goesId, name: 'goes', count: 1 },
      ]);
    }
  });

  it('leaves the announcement to $disconnect when it removes the connection while a broadcast is posting to it', async () => {
    await invoke(connectEvent('mid-stays', { room: 'mid-post', name: 'stays' }, settled));
    await invoke(connectEvent('mid-goes', { room: 'mid-post', name: 'goes' }, settled));
    await runInvocations();
    const goesId = userIdOf('mid-goes');
    aws.reset();
    // The broadcast reads the members and retries four 429s (backing off for most of a
    // second) before its 410; `$disconnect` runs once the first 429 shows it is posting.
    aws.scripts.set('mid-goes', [429, 429, 429, 429]);
    aws.gone.add('mid-goes');
    const sending = invoke(sendFrame('mid-stays', { message: 'slow post' }));
    await vi.waitFor(() => expect(aws.posts.some((p) => p.connectionId === 'mid-goes')).toBe(true));
    await invoke(disconnectEvent('mid-goes'));
    await sending;
    expect(aws.posts.filter((p) => p.connectionId === 'mid-goes').map((p) => p.status)).toEqual([
      429, 429, 429, 429, 410,
    ]);
    expect(leaves('mid-stays')).toEqual([
      { type: 'leave', room: 'mid-post', userId: goesId, name: 'goes', count: 1 },
    ]);
  });

  it('announces nothing for a connection already gone when its $disconnect arrives', async () => {
    await invoke(connectEvent('late-stays', { room: 'late-leave', name: 'stays' }, settled));
    await invoke(connectEvent('late-goes', { room: 'late-leave', name: 'goes' }, settled));
    await runInvocations();
    aws.gone.add('late-goes');
    await invoke(sendFrame('late-stays', { message: 'pruning' }));
    await invoke(disconnectEvent('late-goes'));
    expect(leaves('late-stays')).toHaveLength(1);
  });
});
