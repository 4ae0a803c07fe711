import { describe, expect, it } from 'vitest';
import {
  postsPerMessage,
  quotaRows,
  ratePerRound,
  roundPeriodMs,
} from '../../bench/e2e/batching-quota.js';

const QUOTA = 10_000;

/** Three room sizes, one post per member today, 0.2 frames per member batched, at 100/s. */
const MEASURED = {
  quota: QUOTA,
  sizes: [100, 1_000, 5_000],
  today: 1,
  batched: 0.2,
  ratePerSecond: 100,
};

describe("the quota table: one room's highest rate under the account's posts a second", () => {
  it('costs a message one post per member today: the acknowledgement and one frame to each other', () => {
    expect(postsPerMessage(100, 1)).toBe(100);
    expect(postsPerMessage(5_000, 1)).toBe(5_000);
  });

  it('costs a batched message its acknowledgement and its share of a frame to each other member', () => {
    expect(postsPerMessage(100, 0.2)).toBeCloseTo(20.8);
    expect(postsPerMessage(1_000, 0.2)).toBeCloseTo(200.8);
  });

  it("divides the quota by a message's posts, today and as measured batched", () => {
    const rows = quotaRows(MEASURED);
    expect(rows.map((row) => [row.members, row['today: msgs/s'], row['batched: msgs/s']])).toEqual([
      [100, 100, 480.8],
      [1_000, 10, 49.8],
      [5_000, 2, 10],
    ]);
    expect(rows.map((row) => row['x today'])).toEqual([4.8, 5, 5]);
  });

  it('takes the round as long as the measured rate made it: one frame per member per round', () => {
    // 0.2 frames per member per message at 100 messages a second: a frame every 50 ms.
    expect(roundPeriodMs(0.2, 100)).toBe(50);
    const rows = quotaRows(MEASURED);
    // 100 members get 20 frames a second each at most (1,980 posts), whatever the rate; 1,000
    // members would need 20,000 at 20 messages a second, so they stay below one message a round.
    expect(rows.map((row) => row['batched, a frame per round: msgs/s'])).toEqual([8_020, 10, 2]);
  });

  it('answers a rate whose acknowledgements and frames fill the quota exactly', () => {
    for (const members of [2, 10, 100, 499, 500, 501, 1_000, 5_000, 20_000]) {
      for (const periodMs of [10, 50, 200, 1_000]) {
        const rate = ratePerRound(members, periodMs, QUOTA);
        const frames = (members - 1) * Math.min(rate, 1000 / periodMs);
        expect(rate + frames).toBeCloseTo(QUOTA, 6);
      }
    }
  });
});
