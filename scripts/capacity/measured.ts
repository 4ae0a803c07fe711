/**
 * Times the plan takes as given, from docs/benchmarks.md (section named on each). They are the
 * benchmarks' estimates for AWS ("Scale on paper", marked *(est.)* there), not measurements on
 * AWS: the plan's Lambda figures are as good as they are.
 */

/**
 * A message's own work before its posts: the budget charge, the seq claim, the write and the
 * member sample, ~30 ms ("Scale on paper", 4). A delivery round's reads and writes (start, read
 * of the round's messages, end) are taken to cost the same.
 */
export const MESSAGE_FIXED_MS = 30;

/**
 * Posts one invocation makes a second, 50 in flight at 15-25 ms a round trip: about 2,000,
 * network-bound ("Scale on paper", 1).
 */
export const POSTS_PER_INVOCATION_SECOND = 2_000;

/** A warm synchronous `Invoke` of a fan-out worker, 20-40 ms ("Scale on paper", 4). */
export const WORKER_INVOKE_MS = 30;

/** A worker's Query of its member shards, ~10 ms ("Scale on paper", 4). */
export const SHARD_QUERY_MS = 10;

/** Where these come from, for the plan's footer. */
export const MEASURED_SOURCE = 'docs/benchmarks.md, "Scale on paper" (estimates for AWS)';
