import { describe, expect, it } from 'vitest';
import { connectEvent, messageEvent } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

// The history budget: 100 at once (its least burst), refilling once in 100 minutes.
process.env.HISTORY_PER_MINUTE = '0.01';
process.env.HISTORY_BURST = '100';

const { table, aws, invoke } = useHandler();

const who = (connectionId: string) => invoke(messageEvent(connectionId, '{"action":"who"}'));

describe('who', () => {
  it('answers the caller alone with names and people, and is charged ten messages of its history budget', async () => {
    await invoke(connectEvent('who-asker', { room: 'asked', name: 'asker' }));
    await invoke(connectEvent('who-other', { room: 'asked', name: 'other' }));
    aws.reset();
    const userIdOf = async (id: string) => (await table.store.getConnection(id))?.userId;
    const members = [
      { userId: await userIdOf('who-asker'), name: 'asker' },
      { userId: await userIdOf('who-other'), name: 'other' },
    ];
    for (let n = 0; n < 11; n++) await who('who-asker');
    const frames = aws.delivered('who-asker');
    expect(frames.slice(0, 10)).toEqual(
      Array.from({ length: 10 }, () => ({
        type: 'presence',
        room: 'asked',
        count: 2,
        names: ['asker', 'other'],
        members,
        more: false,
      })),
    );
    expect(frames[10]).toMatchObject({ type: 'error', code: 'rate_limited', action: 'who' });
    expect(aws.delivered('who-other')).toEqual([]);
  });
});
