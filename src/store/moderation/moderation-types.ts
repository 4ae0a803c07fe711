/** The store's moderation shapes: what the moderation routes write and every route reads. */

/** What a moderator did: the action of a moderation event of a room's log. */
export type ModerationAction = 'kick' | 'ban' | 'unban' | 'mute' | 'unmute' | 'roomsettings';

/** Who acted, as frames show them. */
export interface Moderator {
  userId: string;
  name: string;
}

/** A moderation event of a room's log, as readers get it: it never changes. */
export interface ModerationEvent {
  seq: number;
  action: ModerationAction;
  by: Moderator;
  /** Whom it is about; absent on `roomsettings`. */
  userId?: string;
  /** The target's name, when one of its connections was in the room. */
  name?: string;
  reason?: string;
  /** When a ban or mute ends (ISO 8601); absent on one until lifted. */
  until?: string;
  /** A `roomsettings` event's settings: the ones it changed. */
  slowModeSeconds?: number;
  readOnly?: boolean;
  /** When it was stored (ISO 8601), stamped after its seq was claimed. */
  at: string;
}

/** A moderation action to append to a room's log and apply to the room's state. */
export type NewModeration = { room: string; by: Moderator } & (
  | { action: 'kick'; userId: string; name?: string | undefined; reason?: string | undefined }
  | {
      action: 'ban' | 'mute';
      userId: string;
      name?: string | undefined;
      reason?: string | undefined;
      /** Absent: until lifted. */
      minutes?: number | undefined;
    }
  | { action: 'unban' | 'unmute'; userId: string; name?: string | undefined }
  | {
      action: 'roomsettings';
      slowModeSeconds?: number | undefined;
      readOnly?: boolean | undefined;
    }
);

/** A ban or a mute of one person in one room. */
export interface Restriction {
  /** When it ends (epoch ms); absent: until lifted. It no longer holds from then on. */
  until?: number;
  reason?: string;
  /** The moderator's public id. */
  by: string;
  /** The seq of the event that imposed it. */
  seq: number;
}

/**
 * A room's moderation state, by the people's public ids. A ban or mute past its `until` may still
 * be listed (until a write prunes it): ask `activeRestriction` whether it holds now.
 */
export interface RoomModeration {
  bans: ReadonlyMap<string, Restriction>;
  mutes: ReadonlyMap<string, Restriction>;
  /** Each person may send one message per this many seconds; 0 is off. */
  slowModeSeconds: number;
  /** Only moderators may send. */
  readOnly: boolean;
}
