/** A moderation event as its item in the room's log holds it (`kind: 'moderation'`). */

import { messageKey } from '../dynamo/keys.js';
import type { ModerationAction, ModerationEvent, Moderator } from './moderation-types.js';

type Item = Record<string, unknown>;

/** The `kind` of a moderation event's item: neither a message nor an edit or delete. */
export const MODERATION_KIND = 'moderation';

/** An item of the log that is a moderation event. */
export const isModerationItem = (item: Item) => item.kind === MODERATION_KIND;

/**
 * The event's item, at its seq of the room's log. Its time is stored as `sentAt`, as every
 * event's is (readers age holes by it). No author is stored: no one may edit or delete it.
 */
export const moderationItem = (room: string, event: ModerationEvent) => {
  const { at, ...fields } = event;
  return { ...messageKey(room, event.seq), room, kind: MODERATION_KIND, ...fields, sentAt: at };
};

/** The event an item holds, in the wire's field order. */
export const toModerationEvent = (item: Item): ModerationEvent => {
  const by = (item.by ?? {}) as Partial<Moderator>;
  return {
    seq: item.seq as number,
    action: item.action as ModerationAction,
    by: { userId: by.userId ?? '', name: by.name ?? '' },
    ...(typeof item.userId === 'string' ? { userId: item.userId } : {}),
    ...(typeof item.name === 'string' ? { name: item.name } : {}),
    ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
    ...(typeof item.until === 'string' ? { until: item.until } : {}),
    ...(typeof item.slowModeSeconds === 'number' ? { slowModeSeconds: item.slowModeSeconds } : {}),
    ...(typeof item.readOnly === 'boolean' ? { readOnly: item.readOnly } : {}),
    at: item.sentAt as string,
  };
};
