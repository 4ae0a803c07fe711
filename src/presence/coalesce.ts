import { setTimeout as sleep } from 'node:timers/promises';
import { postToRoom } from '../broadcast/room-poster.js';
import type { PostingContext } from '../context.js';
import { occupancyFrame, presenceFrame } from '../protocol/presence-frames.js';
import type { Connection } from '../store/index.js';
import { oncePerInterval, sampleRoom } from './snapshot.js';

/** Time a waiting trailer keeps back for counting and posting once it has waited. */
const TRAILER_RESERVE_MS = 5_000;

/** How long past its wait a trailer's claim holds: a trailer that died frees the room then. */
const TRAILER_MARGIN_MS = 10_000;

/**
 * Sends a room the update for a change that cannot go out as its own notice (a big room, or a
 * small one past its notice rate): at most one per `OCCUPANCY_INTERVAL_MS` per room, with a
 * trailing edge. Admitted by the room's occupancy rate, it counts and posts at once. Otherwise
 * it tries to become the room's one trailer: the loser returns (the trailer counts after this
 * change was written), the winner waits until the rate admits it (never past its invocation's
 * time) and then counts and posts. Returns the connections its post pruned.
 */
export const coalescedUpdate = async (ctx: PostingContext, room: string): Promise<Connection[]> => {
  const { store, presence, now } = ctx.deps;
  const rate = oncePerInterval(presence.occupancyIntervalMs);
  const first = await store.chargeRoom(room, { kind: 'occupancy', rate }, now());
  if (first.outcome === 'admitted') return sendUpdate(ctx, room);
  const until = now() + first.retryAfterMs + presence.occupancyIntervalMs + TRAILER_MARGIN_MS;
  if (!(await store.claimTrailer(room, until, now()))) return [];
  let waitMs = first.retryAfterMs;
  for (;;) {
    if (waitMs > ctx.remainingMs() - TRAILER_RESERVE_MS) {
      await store.releaseTrailer(room, until);
      ctx.log('warn', 'occupancy_trailer_out_of_time', { room, waitMs });
      return [];
    }
    await sleep(waitMs);
    const again = await store.chargeRoom(
      room,
      { kind: 'occupancy', rate, endTrailer: true },
      now(),
    );
    if (again.outcome === 'admitted') return sendUpdate(ctx, room);
    waitMs = again.retryAfterMs;
  }
};

/**
 * Counts the room and posts the result to everyone: a small room's full `presence` snapshot
 * (so name lists stay right), a big room's `occupancy`. The count is cached either way.
 */
const sendUpdate = async (ctx: PostingContext, room: string) => {
  const { store, now } = ctx.deps;
  const countedAt = now();
  const sample = await sampleRoom(ctx, room);
  const count = sample.complete ? sample.count : await store.countMembers(room);
  await store.cacheCount(room, { count, countedAt });
  const frame = sample.small
    ? presenceFrame(room, { ...sample, count })
    : occupancyFrame(room, count);
  ctx.log('info', 'presence_update', { room, count, small: sample.small });
  return postToRoom(ctx, room, frame);
};
