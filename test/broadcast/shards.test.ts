import { describe, expect, it } from 'vitest';
import { shardGroups, workersFor } from '../../src/broadcast/shards.js';
import { MEMBER_SHARDS, type Member } from '../../src/store/index.js';

/** A sample as a Query returns it: `perShard` members in each of shards 0..lastShard. */
const sample = (perShard: number, lastShard: number, inLast = 1): Member[] =>
  Array.from({ length: lastShard + 1 }, (_, shard) =>
    Array.from({ length: shard === lastShard ? inLast : perShard }, (_, n) => ({
      connectionId: `c-${shard}-${n}`,
      name: 'x',
      shard,
    })),
  ).flat();

describe('shard groups', () => {
  it('give every shard to exactly one worker, whatever the number of workers', () => {
    for (const workers of [1, 2, 4, 8, 16]) {
      const groups = shardGroups(workers);
      expect(groups).toHaveLength(workers);
      expect(groups.flat().sort((a, b) => a - b)).toEqual(
        Array.from({ length: MEMBER_SHARDS }, (_, n) => n),
      );
      for (const group of groups) expect(group).toHaveLength(MEMBER_SHARDS / workers);
    }
  });
});

describe('workers for a room', () => {
  it('are two for a room just past one worker’s share', () => {
    // 501 members read: shards 0..7 hold ~62 each, so about 1,000 members in all.
    expect(workersFor(sample(40, 12, 21), 500)).toBe(2);
  });

  it('grow in powers of two with the estimated size', () => {
    // 16 shards of 125: 2,000 members, 4 workers of 500.
    expect(workersFor(sample(125, 4, 1), 500)).toBe(4);
    // 16 shards of 310: ~5,000 members, 16 workers of 500 would be 8,000: 16 is the cap anyway.
    expect(workersFor(sample(310, 1, 191), 500)).toBe(16);
  });

  it('are the most there can be when shard 0 alone fills the sample', () => {
    expect(workersFor(sample(0, 0, 501), 500)).toBe(MEMBER_SHARDS);
  });
});
