import { MEMBER_SHARDS, type Member } from '../store/index.js';

/**
 * How many invocations should share a big room's fan-out, from a sample: the first `limit`
 * members in key order, which lists shard 0 first, then 1, and so on. The shards the sample
 * covered entirely give the room's size (members spread evenly over the shards by hash); a
 * sample that never left shard 0 means a room of at least `MEMBER_SHARDS * limit`.
 * Always a power of two up to MEMBER_SHARDS, so the shards split into equal groups.
 */
export const workersFor = (sample: readonly Member[], membersPerWorker: number): number => {
  const lastShard = sample.at(-1)?.shard ?? 0;
  const whole = sample.filter((member) => member.shard < lastShard).length;
  const estimate = lastShard === 0 ? Infinity : (whole * MEMBER_SHARDS) / lastShard;
  let workers = 2;
  while (workers < MEMBER_SHARDS && workers * membersPerWorker < estimate) workers *= 2;
  return workers;
};

/** The shards worker `i` of `workers` reads: every `workers`-th one, starting at `i`. */
export const shardGroups = (workers: number): number[][] =>
  Array.from({ length: workers }, (_, worker) =>
    Array.from({ length: MEMBER_SHARDS / workers }, (_, n) => worker + n * workers),
  );
