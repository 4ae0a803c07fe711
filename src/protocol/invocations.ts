import * as v from 'valibot';

/**
 * What the function sends itself: `$connect` starts a replay
 * (docs/architecture.md#connecting-and-replay), a big room's `sendmessage` hands shards of its
 * fan-out to workers (docs/architecture.md#big-rooms). Each payload has one top-level key,
 * which names its entry in the route table.
 */

export const ReplayRequestSchema = v.object({
  replay: v.object({
    connectionId: v.pipe(v.string(), v.minLength(1)),
    room: v.string(),
    since: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    /** When `$connect` registered the connection (epoch ms): its arrival window counts from here. */
    connectedAt: v.optional(v.number()),
    // No address and no name: a replay Lambda gives up on is kept, payload and all, in the
    // failed-replay queue (infra/failed-replays.ts). The replay reads both from the connection.
  }),
});

export type ReplayRequest = v.InferOutput<typeof ReplayRequestSchema>;

export const FanoutRequestSchema = v.object({
  fanout: v.object({
    room: v.string(),
    frame: v.pipe(v.string(), v.minLength(1)),
    /** The member shards whose members the worker posts to (a shard the store lacks lists none). */
    shards: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0))), v.minLength(1)),
    /** The sender, who already has the message (or the subject of a notice). */
    skip: v.optional(v.string()),
    /** What some members get instead of `frame` (null: nothing), as `broadcast`'s `variants`. */
    variants: v.optional(v.record(v.string(), v.nullable(v.string()))),
    /** Epoch ms by which the worker stops posting (it reports whom it did not reach). */
    deadline: v.number(),
  }),
});

export type FanoutRequest = v.InferOutput<typeof FanoutRequestSchema>;

/**
 * What a fan-out worker answers: its posts counted, and the connections its prunes removed
 * (`Removed`: the store's connection, whose leaves the caller announces).
 */
export interface FanoutAnswer<Removed> {
  delivered: number;
  pruned: number;
  /**
   * Members that answered 410 while their `$connect` may still be running (see `arrival.ts`):
   * passed by, not pruned; their replay reads the log once their socket is open.
   */
  arriving: number;
  failed: number;
  /** Members not posted to because time ran short: they catch up by seq. */
  unreached: number;
  /**
   * The pruned connections this broadcast itself removed (a prune that found the connection
   * already gone, removed by `$disconnect` or another prune, is not listed): their leaves are
   * this broadcast's to announce.
   */
  removed: Removed[];
}

/** Runs one worker in an invocation of its own and returns its answer; throws if it failed. */
export type FanoutInvoker<Removed> = (
  work: FanoutRequest['fanout'],
) => Promise<FanoutAnswer<Removed>>;
