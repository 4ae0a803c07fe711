/**
 * Each room's moderation state as this container last read it: every frame checks it (a banned
 * or muted sender, slow mode, read-only), and one read per room a second is what that costs.
 */

import { BoundedMap } from '../dynamo/bounded-map.js';
import type { ClockedTableRef } from '../dynamo/client.js';
import { readModerationItem } from './moderation.js';
import { toRoomModeration } from './moderation-state.js';
import type { RoomModeration } from './moderation-types.js';

/** Rooms' states and when each was read. Bounded: the oldest entries are forgotten first. */
export class ModerationCache {
  private readonly rooms = new BoundedMap<string, { state: RoomModeration; at: number }>();

  get(room: string, now: number, maxAgeMs: number): RoomModeration | undefined {
    const known = this.rooms.get(room);
    return known && now - known.at < maxAgeMs ? known.state : undefined;
  }

  set(room: string, state: RoomModeration, now: number) {
    this.rooms.set(room, { state, at: now });
  }

  /** Forgets a room's state: this container just changed it. */
  forget(room: string) {
    this.rooms.delete(room);
  }
}

/** How fresh a room's state must be: at most `maxAgeMs` old, or (absent) read now. */
export interface ModerationFreshness {
  maxAgeMs?: number;
}

/**
 * A room's moderation state: this container's copy when it is younger than `maxAgeMs`, else one
 * strongly consistent read (which refreshes the copy). Without `maxAgeMs`, always the read: what
 * `$connect` checks once it has registered a connection.
 */
export const roomModeration = async (
  deps: ClockedTableRef,
  cache: ModerationCache,
  room: string,
  { maxAgeMs }: ModerationFreshness = {},
): Promise<RoomModeration> => {
  const now = deps.now();
  const known = maxAgeMs === undefined ? undefined : cache.get(room, now, maxAgeMs);
  if (known) return known;
  const state = toRoomModeration(await readModerationItem(deps, room));
  cache.set(room, state, now);
  return state;
};
