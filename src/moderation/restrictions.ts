/**
 * What a room's moderation state means for one person now, and how each restriction is told to
 * them (docs/identity-and-moderation.md, "What the affected user sees").
 */

import type { InvocationContext } from '../context.js';
import type { Muted, RoomSettings } from '../protocol/session-frame.js';
import type { Restriction, RoomModeration } from '../store/index.js';

/**
 * How old a container's copy of a room's state may be: a ban, a mute or a setting takes effect
 * on every route within this long.
 */
export const MODERATION_MAX_AGE_MS = 1_000;

/** A ban or mute of `userId` that holds at `now`: listed, and not past its end. */
export const restrictionOf = (
  restrictions: RoomModeration['bans'],
  userId: string,
  now: number,
): Restriction | undefined => {
  const restriction = userId ? restrictions.get(userId) : undefined;
  if (!restriction) return undefined;
  return restriction.until === undefined || restriction.until > now ? restriction : undefined;
};

/** When a restriction ends, as frames say it (ISO 8601); undefined for one until lifted. */
export const untilOf = (restriction: Restriction) =>
  restriction.until === undefined ? undefined : new Date(restriction.until).toISOString();

const because = (reason: string | undefined) => (reason ? `: ${reason}` : '');

/** Why a banned person's frames and connections are refused: the room, the end, the reason. */
export const bannedText = (room: string, ban: Restriction) =>
  `you are banned from room ${JSON.stringify(room)} ${
    ban.until === undefined ? 'until a moderator lifts the ban' : `until ${untilOf(ban)}`
  }${because(ban.reason)}`;

/** Why a muted person's send is refused: the room, the time left, the reason. */
export const mutedText = (room: string, mute: Restriction, now: number) =>
  `you are muted in room ${JSON.stringify(room)} ${
    mute.until === undefined ? 'until a moderator unmutes you' : `for ${timeLeft(mute.until - now)}`
  }${because(mute.reason)}`;

/** What a kicked connection is told before it is closed. */
export const kickedText = (room: string, by: string, reason: string | undefined) =>
  `you were removed from room ${JSON.stringify(room)} by ${by}${because(reason)}`;

/** A time left, rounded up, in the largest unit that keeps it readable: `9 more minutes`. */
export const timeLeft = (ms: number) => {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const [count, unit] =
    minutes < 120
      ? [minutes, 'minute']
      : minutes < 48 * 60
        ? [Math.ceil(minutes / 60), 'hour']
        : [Math.ceil(minutes / (24 * 60)), 'day'];
  return `${count} more ${unit}${count === 1 ? '' : 's'}`;
};

/** The room's settings as a `session` frame tells them. */
export const settingsOf = (state: RoomModeration): RoomSettings => ({
  slowModeSeconds: state.slowModeSeconds,
  readOnly: state.readOnly,
});

/** The mute on `userId` in force at `now`, as a `session` frame tells it; none: undefined. */
export const mutedOf = (state: RoomModeration, userId: string, now: number): Muted | undefined => {
  const mute = restrictionOf(state.mutes, userId, now);
  if (!mute) return undefined;
  return {
    ...(mute.until !== undefined ? { until: untilOf(mute) } : {}),
    ...(mute.reason !== undefined ? { reason: mute.reason } : {}),
  };
};

/**
 * Why `userId` may not be in `room` now, when a ban holds there (undefined when none does): from
 * this container's copy of the room's state when `maxAgeMs` allows one, else read afresh.
 */
export const banRefusal = async (
  ctx: InvocationContext,
  room: string,
  userId: string,
  freshness: { maxAgeMs?: number } = {},
) => {
  const state = await ctx.deps.store.roomModeration(room, freshness);
  const ban = restrictionOf(state.bans, userId, ctx.deps.now());
  return ban ? bannedText(room, ban) : undefined;
};
