/** Named refusals of a moderation action, for the routes to explain. */

import { StoreError } from '../dynamo/errors.js';

/** The room holds as many bans and mutes as its state may: one must end before another. */
export class ModerationFullError extends StoreError {
  override name = 'ModerationFullError';
  constructor(
    room: string,
    readonly max: number,
  ) {
    super(
      `room "${room}" has as many bans and mutes as it may hold (${max}, or 100 KB with their reasons); lift some first`,
    );
  }
}

/** An `unban` or `unmute` of someone who is not banned or muted: there is nothing to lift. */
export class NotRestrictedError extends StoreError {
  override name = 'NotRestrictedError';
  constructor(
    readonly userId: string,
    readonly restriction: 'banned' | 'muted',
    room: string,
  ) {
    super(`user ${userId} is not ${restriction} in room "${room}"`);
  }
}
