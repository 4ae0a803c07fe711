import type { useChatServer } from '../support/chat-server.js';
import type { useBrowser } from './browser.js';
import { waitLive } from './page-model.js';
import { type ScriptedRoom, startScriptedRoom } from './scripted-room.js';
import type { Frame } from './ws-relay.js';

/** The room every scripted page is in. */
export const ROOM = 'scripted';

/** Public ids as the server makes them (16 base64url characters), each starting differently. */
export const ids = {
  alice: 'QWxpY2UtaXMtaGVy',
  otherAlice: 'T3RoZXItYWxpY2Ux',
  bob: 'Qm9iLWlzLWhlcmUh',
  mod: 'TW9kLWlzLWhlcmUh',
  troll: 'VHJvbGwtaXMtaGVy',
} as const;

const sentAt = new Date().toISOString();

/** A message of the room, with its author's id when given. */
export const message = (seq: number, sender: string, text: string, userId?: string) => ({
  seq,
  sender,
  text,
  sentAt,
  ...(userId ? { userId } : {}),
});

/** The `session` frame a connection gets first: a reader and sender unless `more` says else. */
export const sessionFrame = (userId: string, name: string, more: Frame = {}) => ({
  type: 'session',
  room: ROOM,
  userId,
  name,
  capabilities: ['read', 'send'],
  settings: { slowModeSeconds: 0, readOnly: false },
  ...more,
});

/** What a moderator's session says they may do. */
export const MODERATOR = { capabilities: ['read', 'send', 'moderate'] };

/** A replay (a history page without `before`) of these messages. */
export const replay = (messages: ReturnType<typeof message>[], more: Frame = {}) => ({
  type: 'history',
  room: ROOM,
  messages,
  hasMore: false,
  ...more,
});

/** A `presence` snapshot listing these people. */
export const presence = (people: { userId: string; name: string }[]) => ({
  type: 'presence',
  room: ROOM,
  count: people.length,
  names: [...new Set(people.map((p) => p.name))].sort(),
  members: people,
});

/** A moderation event by `mod`, at `at` (ISO 8601; now by default). */
export const moderation = (seq: number, action: string, more: Frame = {}) => ({
  seq,
  action,
  by: { userId: ids.mod, name: 'mod' },
  at: new Date().toISOString(),
  ...more,
});

/**
 * Opens the client as `name` with its socket going to a scripted room that greets every
 * connection with `greeting`, and waits until it is live.
 */
export const openScripted = async (
  browser: ReturnType<typeof useBrowser>,
  server: ReturnType<typeof useChatServer>,
  stopLater: <T extends { stop(): Promise<void> }>(started: T) => T,
  name: string,
  greeting: Frame[],
): Promise<{ room: ScriptedRoom } & Awaited<ReturnType<ReturnType<typeof useBrowser>['open']>>> => {
  const room = stopLater(await startScriptedRoom(greeting));
  const opened = await browser.open(server.pageUrl({ room: ROOM, name }), {
    webSocketUrl: room.wsUrl,
  });
  await waitLive(opened.page);
  return { room, ...opened };
};
