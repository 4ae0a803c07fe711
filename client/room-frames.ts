import type { Edits } from './edits.js';
import type { GapFiller } from './gaps.js';
import type { Presence } from './presence.js';
import type { Session } from './session.js';
import type { Typing } from './typing.js';
import type { Updates } from './updates.js';
import { readUpdate } from './wire.js';

/** Everything the room's frames beside messages can change. */
export interface RoomFrameParts {
  session: Session;
  updates: Updates;
  edits: Edits;
  gaps: GapFiller;
  presence: Presence;
  typing: Typing;
}

const count = (n: unknown) =>
  Number.isSafeInteger(n) && (n as number) >= 0 ? (n as number) : null;

/**
 * Reads the frames about the room rather than its messages: edits and deletions, who is here
 * (`presence`, `join`, `leave`, `occupancy`) and who is typing. Returns whether it knew the
 * frame's type; a malformed frame of a known type is ignored.
 */
export const createRoomFrameReader = (parts: RoomFrameParts) => {
  const { session, updates, edits, gaps, presence, typing } = parts;
  return (f: Record<string, unknown>) => {
    const type = f.type;
    if (
      type !== 'edit' &&
      type !== 'delete' &&
      type !== 'presence' &&
      type !== 'join' &&
      type !== 'leave' &&
      type !== 'occupancy' &&
      type !== 'typing'
    )
      return false;
    if (f.room !== undefined && f.room !== session.room) return true;
    const total = count(f.count);
    const name = typeof f.name === 'string' ? f.name : null;
    if (type === 'edit' || type === 'delete') {
      const update = readUpdate(f);
      if (!update || (update.deleted === true) !== (type === 'delete')) return true;
      updates.apply(update);
      edits.answered(update.target);
      gaps.review();
    } else if (type === 'presence' && total !== null && Array.isArray(f.names)) {
      const names = f.names.filter((n): n is string => typeof n === 'string');
      presence.snapshot(total, names, f.more === true);
    } else if (type === 'join' && name !== null && total !== null) {
      presence.joined(name, total);
    } else if (type === 'leave' && name !== null && total !== null) {
      presence.left(name, total);
      typing.stopped(name);
    } else if (type === 'occupancy' && total !== null) {
      presence.occupancy(total);
    } else if (type === 'typing' && name !== null) {
      typing.seen(name, Number(f.expiresInMs) || 6000);
    }
    return true;
  };
};
