import type { Edits } from './edits.js';
import type { GapFiller } from './gaps.js';
import type { Moderation } from './moderation.js';
import { readModeration } from './moderation-event.js';
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
  moderation: Moderation;
  /** Reads a `session` frame: who this page is in the room and what it may do. */
  identity: (frame: Record<string, unknown>) => void;
}

const KNOWN = new Set<unknown>([
  'session',
  'edit',
  'delete',
  'moderation',
  'presence',
  'join',
  'leave',
  'occupancy',
  'typing',
]);

/** A presence frame's people: `members` when the server sends ids, else its `names` alone. */
const listed = (f: Record<string, unknown>) => {
  if (Array.isArray(f.members)) {
    return f.members.flatMap((m: unknown) => {
      const { userId, name, tabs } = (m ?? {}) as Record<string, unknown>;
      const connections = Number.isSafeInteger(tabs) && (tabs as number) > 1 ? (tabs as number) : 1;
      return typeof userId === 'string' && typeof name === 'string'
        ? [{ userId, name, connections }]
        : [];
    });
  }
  const names = Array.isArray(f.names) ? f.names : [];
  return names
    .filter((n): n is string => typeof n === 'string')
    .map((name) => ({ name, userId: null }));
};

const count = (n: unknown) =>
  Number.isSafeInteger(n) && (n as number) >= 0 ? (n as number) : null;

/**
 * Reads the frames about the room rather than its messages: who this page is (`session`), edits
 * and deletions, moderation events, who is here (`presence`, `join`, `leave`, `occupancy`) and
 * who is typing. Returns whether it knew the frame's type; a malformed frame of a known type is
 * ignored.
 */
export const createRoomFrameReader = (parts: RoomFrameParts) => {
  const { session, updates, edits, gaps, presence, typing, moderation } = parts;
  return (f: Record<string, unknown>) => {
    const type = f.type;
    if (!KNOWN.has(type)) return false;
    if (f.room !== undefined && f.room !== session.room) return true;
    const total = count(f.count);
    const name = typeof f.name === 'string' ? f.name : null;
    const userId = typeof f.userId === 'string' ? f.userId : null;
    if (type === 'session') {
      parts.identity(f);
    } else if (type === 'moderation') {
      const event = readModeration(f);
      if (!event) return true;
      moderation.event(event, true);
      gaps.review();
    } else if (type === 'edit' || type === 'delete') {
      const update = readUpdate(f);
      if (!update || (update.deleted === true) !== (type === 'delete')) return true;
      updates.apply(update);
      edits.answered(update.target);
      gaps.review();
    } else if (type === 'presence' && total !== null && Array.isArray(f.names)) {
      presence.snapshot(total, listed(f), f.more === true);
    } else if (type === 'join' && name !== null && total !== null) {
      presence.joined(name, userId, total);
    } else if (type === 'leave' && name !== null && total !== null) {
      presence.left(name, userId, total);
      typing.stopped(name);
    } else if (type === 'occupancy' && total !== null) {
      presence.occupancy(total);
    } else if (type === 'typing' && name !== null) {
      typing.seen(name, userId, Number(f.expiresInMs) || 6000);
    }
    return true;
  };
};
