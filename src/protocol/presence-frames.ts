/**
 * The frames that tell a room who is in it and who is typing (none of them is stored): a
 * snapshot (`presence`), the notices of a small room (`join`, `leave`), a big room's coalesced
 * count (`occupancy`), and `typing`.
 */

/** Who is in a room: its live connections, and their distinct names, sorted. */
export interface PresenceSnapshot {
  /** Live connections: one person with two tabs counts twice. */
  count: number;
  /** Distinct names, sorted, at most `PRESENCE_NAMES_SHOWN`. */
  names: readonly string[];
  /** The room has names beyond those listed. */
  more: boolean;
}

export const presenceFrame = (room: string, { count, names, more }: PresenceSnapshot) =>
  JSON.stringify({ type: 'presence', room, count, names, more });

/** Someone joined a small room; `count` is the room's count after the change. */
export const joinFrame = (room: string, name: string, count: number) =>
  JSON.stringify({ type: 'join', room, name, count });

/** Someone left a small room (`$disconnect`, or a broadcast found it gone). */
export const leaveFrame = (room: string, name: string, count: number) =>
  JSON.stringify({ type: 'leave', room, name, count });

/** A big room's count, sent at a bounded rate instead of its joins and leaves. */
export const occupancyFrame = (room: string, count: number) =>
  JSON.stringify({ type: 'occupancy', room, count });

/** Someone is typing; the client hides it after `expiresInMs` without another. */
export const typingFrame = (room: string, name: string, expiresInMs: number) =>
  JSON.stringify({ type: 'typing', room, name, expiresInMs });
