import type { PostingContext } from '../context.js';
import { PRESENCE_NAMES_SHOWN } from '../protocol/limits.js';
import type { PresenceSnapshot } from '../protocol/presence-frames.js';
import type { RoomSample } from '../store/index.js';

/** A room as one Query sees it, and whether it is small enough for `join`/`leave` notices. */
export interface SampledRoom extends RoomSample {
  small: boolean;
}

/**
 * One Query of the room's first members: enough to count a small room (at most
 * `PRESENCE_NOTICES_UP_TO` connections) exactly and to list up to `PRESENCE_NAMES_SHOWN` names.
 */
export const sampleRoom = async ({ deps }: PostingContext, room: string): Promise<SampledRoom> => {
  const { noticesUpTo } = deps.presence;
  const sample = await deps.store.sampleRoom(room, {
    limit: Math.max(noticesUpTo, PRESENCE_NAMES_SHOWN) + 1,
    namesShown: PRESENCE_NAMES_SHOWN,
  });
  return { ...sample, small: sample.complete && sample.count <= noticesUpTo };
};

/**
 * Who is in the room, for `who` and a newcomer: exact when one Query read the whole room;
 * a bigger room's count is the cached full count, taken again when older than the interval.
 */
export const presenceSnapshot = async (
  ctx: PostingContext,
  room: string,
  sampled?: SampledRoom,
): Promise<PresenceSnapshot> => {
  const sample = sampled ?? (await sampleRoom(ctx, room));
  const { names, members, more } = sample;
  const count = sample.complete ? sample.count : await bigRoomCount(ctx, room, sample.count);
  return { count, names, members, more };
};

/**
 * A big room's count: the cached one while fresh; otherwise counted again, at most once per
 * interval per room (the `recount` rate), or the stale one when someone else is counting. The
 * sample's live members are a floor: the count is never less than what one Query saw.
 */
const bigRoomCount = async (ctx: PostingContext, room: string, atLeast: number) => {
  const { store, presence, now } = ctx.deps;
  const cached = await store.readCachedCount(room);
  if (cached && now() - cached.countedAt < presence.occupancyIntervalMs) {
    return Math.max(cached.count, atLeast);
  }
  const rate = oncePerInterval(presence.occupancyIntervalMs);
  const charged = await store.chargeRoom(room, { kind: 'recount', rate }, now());
  if (charged.outcome === 'limited') return Math.max(cached?.count ?? 0, atLeast);
  const countedAt = now();
  const count = await store.countMembers(room);
  await store.cacheCount(room, { count, countedAt });
  return count;
};

/** A room rate that admits one charge per interval, none saved up. */
export const oncePerInterval = (intervalMs: number) => ({ perSecond: 1000 / intervalMs, burst: 1 });
