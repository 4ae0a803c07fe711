/** Moderation events on the wire (docs/identity-and-moderation.md, "The audit trail"). */

import type { ModerationAction } from './routes.js';

/** A moderation event of a room's log, at its own seq, as a `history` page and a live frame carry it. */
export interface WireModeration {
  seq: number;
  action: ModerationAction;
  by: { userId: string; name: string };
  /** Whom it is about; absent on `roomsettings`. */
  userId?: string | undefined;
  /** The target's name, when one of its connections was in the room. */
  name?: string | undefined;
  reason?: string | undefined;
  /** When a ban or mute ends (ISO 8601); absent on one until lifted. */
  until?: string | undefined;
  slowModeSeconds?: number | undefined;
  readOnly?: boolean | undefined;
  /** ISO 8601. */
  at: string;
}

/** An event's fields in the wire's order: whatever else its source holds stays behind. */
export const moderationFields = (event: WireModeration): WireModeration => {
  const { seq, action, by, userId, name, reason, until, slowModeSeconds, readOnly, at } = event;
  return {
    seq,
    action,
    by: { userId: by.userId, name: by.name },
    ...(userId === undefined ? {} : { userId }),
    ...(name === undefined ? {} : { name }),
    ...(reason === undefined ? {} : { reason }),
    ...(until === undefined ? {} : { until }),
    ...(slowModeSeconds === undefined ? {} : { slowModeSeconds }),
    ...(readOnly === undefined ? {} : { readOnly }),
    at,
  };
};

/**
 * A live moderation event, to everyone in the room, the moderator included (that is its
 * acknowledgement): `{"type":"moderation","room":…,"seq":…,"action":…,…}`.
 */
export const moderationFrame = (room: string, event: WireModeration) =>
  JSON.stringify({ type: 'moderation', room, ...moderationFields(event) });
