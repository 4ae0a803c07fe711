import { afterAll, describe, expect, it } from 'vitest';
import { close, join } from '../../bench/e2e/crowd/join.js';
import { paced } from '../../bench/e2e/crowd/paced.js';
import { LIFTED_LIMITS } from '../../bench/e2e/servers.js';
import { useChatServer } from '../support/chat-server.js';

// The batching benchmark's engine, run in this process against the real chat (its default
// delivery): a steady stream from two senders into a room of four.
const server = useChatServer({ ...LIFTED_LIMITS, AWS_LAMBDA_LOG_LEVEL: 'silent' });
const group = 'crowd-paced';
afterAll(() => close({ group }));

describe("the bench's paced senders", () => {
  it('time every delivery once, and count the frames that brought them', async () => {
    const joined = await join({
      url: server.wsUrl,
      group,
      rooms: [{ room: group, count: 4 }],
      batch: 4,
      perSecond: 100,
      awaitReplay: true,
    });
    expect(joined.connected).toBe(4);

    const result = await paced({
      group,
      room: group,
      senders: 2,
      perSecond: 10,
      durationMs: 500,
      drainMs: 5_000,
      idPrefix: 'paced',
    });

    // Two senders at 10 a second for half a second, staggered: one message every 50 ms.
    expect(result.sent).toBe(10);
    expect(result.accepted).toBe(10);
    expect(result).toMatchObject({ members: 4, senders: 2, missing: 0, duplicates: 0 });
    expect(result.errors).toEqual({});
    // Each message reaches its three other members, and its author as its acknowledgement.
    expect(result.deliveryMs).toHaveLength(30);
    expect(result.ackMs).toHaveLength(10);
    expect(result.deliveryMs.every((ms) => ms >= 0)).toBe(true);
    // A frame per acknowledgement, and one frame at least, one per message at most, to each other
    // member.
    expect(result.frames).toBeGreaterThanOrEqual(10 + 3);
    expect(result.frames).toBeLessThanOrEqual(10 + 30);
  });
});
