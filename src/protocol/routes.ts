/**
 * The chat's route keys (docs/protocol.md#client-to-server): the one list that the handler's route
 * table, the deployed API's routes and the emulator's route selection are all built from.
 */

/** The moderation actions (docs/identity-and-moderation.md): each an event of the room's log. */
export const MODERATION_ACTIONS = [
  'kick',
  'ban',
  'unban',
  'mute',
  'unmute',
  'roomsettings',
] as const;

export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** The actions a client can send as `{"action": …}`; `$default` lists them in its answer. */
export const ACTIONS = [
  'sendmessage',
  'history',
  'editmessage',
  'deletemessage',
  'who',
  'typing',
  ...MODERATION_ACTIONS,
] as const;

export type Action = (typeof ACTIONS)[number];

/** The routes API Gateway itself defines: connecting, disconnecting, and any other frame. */
export const GATEWAY_ROUTE_KEYS = ['$connect', '$disconnect', '$default'] as const;

/** Every route the API has; each one goes to the same function. */
export const ROUTE_KEYS = [...GATEWAY_ROUTE_KEYS, ...ACTIONS] as const;

export type RouteKey = (typeof ROUTE_KEYS)[number];
