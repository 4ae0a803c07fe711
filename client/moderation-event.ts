import type { WireModeration } from '../src/protocol/moderation-frames.js';
import { MODERATION_ACTIONS, type ModerationAction } from '../src/protocol/routes.js';
import { isSeq } from './wire.js';

/** What a moderator did: each is an event of the room's log at its own seq. */
export type { ModerationAction };

/** Someone as the server names them: the public id and the name they used. */
export type Person = WireModeration['by'];

/**
 * A moderation event, from a live `moderation` frame or a history page's `moderation`: who did
 * what to whom (or to the room's settings), why, and until when. A page keeps one whose `by` it
 * could not read, without it.
 */
export type ModerationEvent = Omit<WireModeration, 'by'> & { by: Person | null };

const ACTIONS = new Set<unknown>(MODERATION_ACTIONS);

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

const person = (value: unknown): Person | null => {
  if (!value || typeof value !== 'object') return null;
  const { userId, name } = value as Record<string, unknown>;
  return typeof userId === 'string' && typeof name === 'string' ? { userId, name } : null;
};

/** A well-formed moderation event (a frame is checked, never trusted), or null. */
export const readModeration = (value: unknown): ModerationEvent | null => {
  if (!value || typeof value !== 'object') return null;
  const f = value as Record<string, unknown>;
  if (!isSeq(f.seq) || !ACTIONS.has(f.action)) return null;
  const action = f.action as ModerationAction;
  const event: ModerationEvent = { seq: f.seq, action, by: person(f.by), at: text(f.at) ?? '' };
  if (action !== 'roomsettings') {
    const userId = text(f.userId);
    if (!userId) return null;
    event.userId = userId;
  }
  const name = text(f.name);
  const reason = text(f.reason);
  const until = text(f.until);
  if (name !== undefined) event.name = name;
  if (reason !== undefined) event.reason = reason;
  if (until !== undefined && !Number.isNaN(Date.parse(until))) event.until = until;
  if (Number.isSafeInteger(f.slowModeSeconds) && (f.slowModeSeconds as number) >= 0)
    event.slowModeSeconds = f.slowModeSeconds as number;
  if (typeof f.readOnly === 'boolean') event.readOnly = f.readOnly;
  return event;
};
