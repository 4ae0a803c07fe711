/**
 * How big each room is, as far as this container knows without a read per event: what a room's
 * posts are budgeted by (see `room-charge.ts`).
 */

import { BoundedMap } from '../dynamo/bounded-map.js';
import type { ClockedTableRef } from '../dynamo/client.js';
import { readCachedCount } from '../rates/room-rates.js';

/** How long a size is used before the room's cached count is read again (if nothing posted). */
const SIZE_TTL_MS = 60_000;

/**
 * Each room's size as this container last learned it, and when. Bounded: the oldest entries are
 * forgotten first.
 */
export class RoomSizes {
  private readonly sizes = new BoundedMap<string, { count: number; at: number }>();

  get(room: string, now: number): number | undefined {
    const known = this.sizes.get(room);
    return known && now - known.at < SIZE_TTL_MS ? known.count : undefined;
  }

  set(room: string, count: number, now: number) {
    this.sizes.set(room, { count: Math.max(1, count), at: now });
  }
}

/**
 * A room's size: the members this container's last post to it counted (see `noteRoomSize`), or,
 * when it has not posted there for a minute, the room's cached count (one eventually consistent
 * read; presence keeps that count for rooms past `PRESENCE_NOTICES_UP_TO` members and any room
 * past its notice rate), or 1 for a room that has none: a small one. So the size is an event or a
 * minute late, and a container's first event in a small room is charged as one post.
 */
export const roomSize = async (deps: ClockedTableRef, sizes: RoomSizes, room: string) => {
  const now = deps.now();
  const known = sizes.get(room, now);
  if (known !== undefined) return known;
  const cached = await readCachedCount(deps, room);
  const count = cached?.count ?? 1;
  sizes.set(room, count, now);
  return Math.max(1, count);
};
