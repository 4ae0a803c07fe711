import type { Server } from './server.js';

/** A room's settings, as its `session` frame and moderators' `roomsettings` events set them. */
export interface RoomSettings {
  slowModeSeconds: number;
  readOnly: boolean;
}

/** This page's user is muted in the room: until when (null: until lifted) and why. */
export interface Mute {
  until: number | null;
  reason: string;
}

/**
 * The room this page is in (or was last in), as whom, on which server (known once resolved), and
 * what the server said of it in its `session` frame: who this page is and what it may do there.
 */
export interface Session {
  server: Server | null;
  room: string;
  name: string;
  joined: boolean;
  /** The public id the server knows this page's key (or token) by; null until it says. */
  userId: string | null;
  /** What this page may do in the room; null from a server that does not say (read and send). */
  capabilities: readonly string[] | null;
  settings: RoomSettings;
  muted: Mute | null;
}

/** A session before anything is known of the room. */
export const newSession = (): Session => ({
  server: null,
  room: '',
  name: '',
  joined: false,
  userId: null,
  capabilities: null,
  settings: { slowModeSeconds: 0, readOnly: false },
  muted: null,
});

/** Forgets what the server said of the last room (leaving it: the next one says its own). */
export const forgetRoomSession = (session: Session) => {
  session.userId = null;
  session.capabilities = null;
  session.settings = { slowModeSeconds: 0, readOnly: false };
  session.muted = null;
};

/** This page may moderate the room: delete anyone's message, kick, ban, mute, change settings. */
export const mayModerate = (session: Session) =>
  session.capabilities?.includes('moderate') === true;

/** This page's capabilities let it send (a server that does not say lets everyone). */
export const maySend = (session: Session) =>
  session.capabilities === null || session.capabilities.includes('send');

/** This page's user is muted now. */
export const isMuted = ({ muted }: Session) =>
  muted !== null && (muted.until === null || muted.until > Date.now());

/** The room's rules let this page send now: it may, is not muted, and the room is not read-only. */
export const sendingAllowed = (session: Session) =>
  maySend(session) && !isMuted(session) && (!session.settings.readOnly || mayModerate(session));

/**
 * Whether a message is this page's user's: by its author's id when it has one. A message without
 * one (stored before identities) is judged by today's rule (sent from here, or under this name)
 * only when the server gave this page no id either; otherwise it is not theirs.
 */
export const isOwnMessage = (
  session: Session,
  m: { userId?: string | undefined; sender: string },
  sentHere: boolean,
) => {
  if (m.userId !== undefined) return m.userId === session.userId;
  return session.userId === null && (sentHere || m.sender === session.name);
};

/** Where a room's drafts, own ids and last ban are kept: per server unless it is the page's own. */
export const roomKey = ({ server, room }: Session, kind: 'own' | 'pending' | 'ban') =>
  server?.fromConfig ? `chat:${kind}:${room}` : `chat:${kind}:${room}@${server?.wsUrl}`;
