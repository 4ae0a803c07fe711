import type { Capability } from './capabilities.js';

/**
 * The `session` frame (docs/identity-and-moderation.md): the first frame a connection gets,
 * before its history, saying who it is in the room and what it may do there.
 */

/** A room's moderation settings, as a connection is told them. */
export interface RoomSettings {
  /** Each person may send one message per this many seconds; 0: no slow mode. */
  slowModeSeconds: number;
  /** Only moderators may send. */
  readOnly: boolean;
}

/** A room without moderation settings. */
export const OPEN_ROOM: RoomSettings = { slowModeSeconds: 0, readOnly: false };

/** A mute on the connection's user: `until` (ISO 8601) is absent for one until lifted. */
export interface Muted {
  until?: string | undefined;
  reason?: string | undefined;
}

/** Who the connection is: never its author or key, only its public id. */
export interface SessionIdentity {
  room: string;
  userId: string;
  name: string;
  capabilities: readonly Capability[];
}

export const sessionFrame = (
  { room, userId, name, capabilities }: SessionIdentity,
  settings: RoomSettings,
  muted?: Muted,
) =>
  JSON.stringify({
    type: 'session',
    room,
    userId,
    name,
    capabilities,
    settings: { slowModeSeconds: settings.slowModeSeconds, readOnly: settings.readOnly },
    ...(muted
      ? {
          muted: {
            ...(muted.until === undefined ? {} : { until: muted.until }),
            ...(muted.reason === undefined ? {} : { reason: muted.reason }),
          },
        }
      : {}),
  });
