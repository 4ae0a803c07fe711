import { describe, expect, it } from 'vitest';
import { noDynamo } from '../../bench/dynamo-meter.js';
import { busyFigures, sideBySide } from '../../bench/e2e/batching-rows.js';
import type { ContainerSnapshot } from '../../bench/e2e/container.js';

/** A busy room of 10 whose 20 messages reached everyone, in `frames` frames all told. */
const busy = (frames: number, posts: number) => ({
  result: {
    members: 10,
    senders: 2,
    sent: 20,
    accepted: 20,
    errors: {},
    sendSeconds: 2,
    totalSeconds: 4,
    deliveryMs: Array.from({ length: 180 }, (_, i) => i + 1),
    ackMs: Array.from({ length: 20 }, () => 5),
    duplicates: 0,
    missing: 0,
    frames,
  },
  handler: {
    durations: { sendmessage: Array(20).fill(30) },
    posts,
    ...noDynamo(),
  } as ContainerSnapshot,
});

describe("the batching benchmark's figures", () => {
  it('count a frame per member per message when every message goes alone', () => {
    const today = busyFigures(busy(200, 200));
    expect(today['frames/member/msg']).toBe(1);
    expect(today['frames/other member/msg']).toBe(1);
    expect(today['posts/msg']).toBe(10);
    // 200 posts over the 4 s from the first send to the last delivery; 10 messages a second asked
    // for 100 posts a second.
    expect(today['posts/s']).toBe(50);
    expect(today['posts/s at the offered rate']).toBe(100);
  });

  it("take the authors' acknowledgements out of what a message costs each other member", () => {
    // 20 acknowledgements, and 4 batches of 5 messages to each of the 9 others: 36 frames.
    const batched = busyFigures(busy(20 + 36, 56));
    expect(batched['frames/member/msg']).toBe(0.28);
    expect(batched['frames/other member/msg']).toBe(0.2);
    expect(batched['API Gateway $/M msgs']).toBe(3.8);
  });

  it('put the two sides of each figure in one row, with their ratio', () => {
    const rows = sideBySide({
      today: { posts: 200, missing: 0 },
      batched: { posts: 56, missing: 0 },
    });
    expect(rows).toEqual([
      { figure: 'posts', today: 200, batched: 56, 'batched / today': 0.28 },
      { figure: 'missing', today: 0, batched: 0, 'batched / today': '-' },
    ]);
  });
});
