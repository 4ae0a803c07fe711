import { describe, expect, it } from 'vitest';
import { connectEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

// One token back every 100 s: nothing refills while a test runs, whatever the machine's speed.
process.env.RATE_LIMIT_PER_SECOND = '0.01';
process.env.RATE_LIMIT_BURST = '20';

const { table, aws, invoke } = useHandler();

describe('per-connection rate limit', () => {
  it('lets a burst of 20 through, answers the 21st with rate_limited, the rest of its window not at all, and stores nothing for them', async () => {
    await invoke(connectEvent('rl-flood', { room: 'flood', name: 'mallory' }));
    await invoke(connectEvent('rl-calm', { room: 'flood', name: 'bob' }));
    aws.reset();
    for (let n = 1; n <= 25; n++) await invoke(sendFrame('rl-flood', { message: `spam ${n}` }));
    const errors = aws.delivered('rl-flood').filter((f) => f.type === 'error');
    expect(await table.store.lastSeq('flood')).toBe(20);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'rate_limited' });
    expect(errors[0]?.message).toContain('slow down');
    expect(aws.delivered('rl-calm').every((f) => f.type === 'message')).toBe(true);
  });

  it('admits a whole burst that arrives at once, and refuses exactly what is over it', async () => {
    await invoke(connectEvent('rl-burst', { room: 'burst', name: 'eager' }));
    aws.reset();
    await Promise.all(
      Array.from({ length: 25 }, (_, n) =>
        invoke(sendFrame('rl-burst', { message: `at once ${n}`, id: `b-${n}` })),
      ),
    );
    const frames = aws.delivered('rl-burst');
    expect(frames.filter((f) => f.type === 'message')).toHaveLength(20);
    expect(frames.filter((f) => f.type === 'error')).toEqual([
      expect.objectContaining({ code: 'rate_limited' }),
    ]);
    const log = await table.store.readAfter('burst', 0, 100);
    expect(log.messages).toHaveLength(20);
    expect(log.skipped).toEqual([]);
  });

  it('limits each connection on its own: a flooder does not slow anyone else down', async () => {
    await invoke(connectEvent('rl-a', { room: 'pair', name: 'a' }));
    await invoke(connectEvent('rl-b', { room: 'pair', name: 'b' }));
    for (let n = 1; n <= 30; n++) await invoke(sendFrame('rl-a', { message: `a${n}` }));
    aws.reset();
    await invoke(sendFrame('rl-b', { message: 'still here' }));
    expect(aws.delivered('rl-b')).toEqual([
      expect.objectContaining({ type: 'message', text: 'still here' }),
    ]);
  });

  it('cuts off a connection sending 4 bursts at once, and blocks its network with a read when no connect budget is charged', async () => {
    const from = (event: ReturnType<typeof connectEvent>) => {
      event.requestContext.identity = { sourceIp: '192.0.2.90', userAgent: 'vitest' };
      return event;
    };
    await invoke(from(connectEvent('rl-cut', { room: 'cut', name: 'flooder' })));
    aws.reset();
    for (let n = 1; n <= 80; n++) await invoke(from(sendFrame('rl-cut', { message: `m${n}` })));
    expect(aws.delivered('rl-cut').filter((f) => f.type === 'error')).toEqual([
      expect.objectContaining({ code: 'rate_limited' }),
      expect.objectContaining({ code: 'flooding' }),
    ]);
    expect(aws.deletes).toEqual([{ connectionId: 'rl-cut', status: 204 }]);
    const again = await invoke(from(connectEvent('rl-cut-2', { room: 'cut' })));
    expect(again).toMatchObject({ statusCode: 429 });
    expect(again?.body).toMatch(/cut off for flooding; try again in \d+ s$/);
  });
});
