/**
 * The moderation requests' bodies (docs/identity-and-moderation.md, "Moderation"), each refused
 * with a message that names the field and what it must be.
 */

import * as v from 'valibot';
import { checkedText } from './message-text.js';
import { USER_ID_LENGTH } from './user-id.js';

/** A ban's or mute's length: whole minutes, a year at most. */
export const MINUTES = { min: 1, max: 525_600 } as const;

/** A reason's length in characters (grapheme clusters), and in bytes: four per character. */
export const REASON_CHARS = 200;
export const REASON_BYTES = 4 * REASON_CHARS;

/** Slow mode's interval: 0 (off) to an hour. */
export const SLOW_MODE_SECONDS = { min: 0, max: 3_600 } as const;

/** The public id of the person an action is about. */
const UserId = v.pipe(
  v.string('userId must be a string'),
  v.regex(
    new RegExp(`^[A-Za-z0-9_-]{${USER_ID_LENGTH}}$`),
    `userId must be a user id: ${USER_ID_LENGTH} letters, digits, "-" or "_"`,
  ),
);

const Minutes = v.pipe(
  v.number('minutes must be a number'),
  v.integer('minutes must be a whole number'),
  v.minValue(MINUTES.min, `minutes must be ${MINUTES.min}-${MINUTES.max}`),
  v.maxValue(MINUTES.max, `minutes must be ${MINUTES.min}-${MINUTES.max}`),
);

/** A reason, by a message's rules (not blank, no control characters but tabs and line breaks). */
const Reason = checkedText('reason', {
  chars: REASON_CHARS,
  bytes: REASON_BYTES,
  bytesSaid: `${REASON_BYTES} bytes`,
});

/** Valibot says "Invalid key" of a missing field; this says which field the frame needs. */
const required = <T extends { userId?: string | undefined }>() =>
  v.check((body: T) => body.userId !== undefined, 'userId is required');

const withUserId = <T extends { userId?: string | undefined }>({ userId, ...rest }: T) => ({
  ...rest,
  userId: userId as string,
});

/** `{"action":"kick","userId":U,"reason"?:R}`. */
export const KickBody = v.pipe(
  v.object({ userId: v.optional(UserId), reason: v.optional(Reason) }),
  required(),
  v.transform(withUserId),
);

/** `{"action":"ban"|"mute","userId":U,"minutes"?:N,"reason"?:R}`. */
export const RestrictBody = v.pipe(
  v.object({
    userId: v.optional(UserId),
    minutes: v.optional(Minutes),
    reason: v.optional(Reason),
  }),
  required(),
  v.transform(withUserId),
);

/** `{"action":"unban"|"unmute","userId":U}`. */
export const LiftBody = v.pipe(
  v.object({ userId: v.optional(UserId) }),
  required(),
  v.transform(withUserId),
);

/** `{"action":"roomsettings","slowModeSeconds"?:N,"readOnly"?:B}`, with at least one of them. */
export const RoomSettingsBody = v.pipe(
  v.object({
    slowModeSeconds: v.optional(
      v.pipe(
        v.number('slowModeSeconds must be a number'),
        v.integer('slowModeSeconds must be a whole number'),
        v.minValue(SLOW_MODE_SECONDS.min, `slowModeSeconds must be 0-${SLOW_MODE_SECONDS.max}`),
        v.maxValue(SLOW_MODE_SECONDS.max, `slowModeSeconds must be 0-${SLOW_MODE_SECONDS.max}`),
      ),
    ),
    readOnly: v.optional(v.boolean('readOnly must be true or false')),
  }),
  v.check(
    (body) => body.slowModeSeconds !== undefined || body.readOnly !== undefined,
    'roomsettings needs slowModeSeconds, readOnly or both',
  ),
);
