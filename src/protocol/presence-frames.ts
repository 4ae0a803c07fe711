/**
 * The frames that tell a room who is in it and who is typing (none of them is stored): a
 * snapshot (`presence`), the notices of a small room (`join`, `leave`), a big room's coalesced
 * count (`occupancy`), and `typing`.
 */

/** One person in a room: its public id, and the name it goes by there. */
export interface PresenceMember {
  userId: string;
  name: string;
  /**
   * Their connections (tabs, devices) among those the server read, only when more than one:
   * exact unless `more` (a big room's sample).
   */
  tabs?: number;
}

/** Who is in a room: its live connections, their distinct names, and the people behind them. */
export interface PresenceSnapshot {
  /** Live connections: one person with two tabs counts twice. */
  count: number;
  /** Distinct names, sorted, at most `PRESENCE_NAMES_SHOWN`. */
  names: readonly string[];
  /**
   * Distinct people (by `userId`), sorted by name, at most `PRESENCE_NAMES_SHOWN`: two people
   * called alice are two entries, one person in two tabs is one entry with `tabs: 2`.
   * Connections stored before identities have no entry.
   */
  members: readonly PresenceMember[];
  /** The room has names beyond those listed. */
  more: boolean;
}

export const presenceFrame = (room: string, { count, names, members, more }: PresenceSnapshot) =>
  JSON.stringify({ type: 'presence', room, count, names, members, more });

/** Whom a notice is about: a connection stored before identities has no `userId` ('' here). */
export interface Someone {
  name: string;
  userId?: string | undefined;
}

/** A notice's `userId` and `name`; an empty id (a connection stored before identities) is left out. */
const someone = ({ userId, name }: Someone) => (userId ? { userId, name } : { name });

/** Someone joined a small room; `count` is the room's count after the change. */
export const joinFrame = (room: string, joiner: Someone, count: number) =>
  JSON.stringify({ type: 'join', room, ...someone(joiner), count });

/** Someone left a small room (`$disconnect`, or a broadcast found it gone). */
export const leaveFrame = (room: string, leaver: Someone, count: number) =>
  JSON.stringify({ type: 'leave', room, ...someone(leaver), count });

/** A big room's count, sent at a bounded rate instead of its joins and leaves. */
export const occupancyFrame = (room: string, count: number) =>
  JSON.stringify({ type: 'occupancy', room, count });

/** Someone is typing; the client hides it after `expiresInMs` without another. */
export const typingFrame = (room: string, typist: Someone, expiresInMs: number) =>
  JSON.stringify({ type: 'typing', room, ...someone(typist), expiresInMs });
