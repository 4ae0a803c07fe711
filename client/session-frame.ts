import { type Mute, mayModerate, type RoomSettings, type Session } from './session.js';

/** What a `session` frame tells a connection: who it is and what it may do in its room. */
export interface SessionFrame {
  userId: string;
  name: string;
  capabilities: string[];
  settings: RoomSettings;
  muted: Mute | null;
}

const settingsOf = (value: unknown): RoomSettings => {
  const f = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const seconds = f.slowModeSeconds;
  return {
    slowModeSeconds:
      Number.isSafeInteger(seconds) && (seconds as number) > 0 ? (seconds as number) : 0,
    readOnly: f.readOnly === true,
  };
};

const muteOf = (value: unknown): Mute | null => {
  if (!value || typeof value !== 'object') return null;
  const { until, reason } = value as Record<string, unknown>;
  const end = typeof until === 'string' ? Date.parse(until) : Number.NaN;
  return {
    until: Number.isNaN(end) ? null : end,
    reason: typeof reason === 'string' ? reason : '',
  };
};

/** A well-formed `session` frame's content (a frame is checked, never trusted), or null. */
export const readSessionFrame = (f: Record<string, unknown>): SessionFrame | null => {
  if (typeof f.userId !== 'string' || f.userId === '' || typeof f.name !== 'string') return null;
  const capabilities = Array.isArray(f.capabilities)
    ? f.capabilities.filter((c): c is string => typeof c === 'string')
    : [];
  return {
    userId: f.userId,
    name: f.name,
    capabilities,
    settings: settingsOf(f.settings),
    muted: muteOf(f.muted),
  };
};

/**
 * Takes a `session` frame into the session: what it said (null for a malformed one) and whether
 * who this page is, or whether it moderates, changed (what it may do with each message).
 */
export const applySessionFrame = (session: Session, f: Record<string, unknown>) => {
  const read = readSessionFrame(f);
  if (!read) return null;
  const before = `${session.userId} ${mayModerate(session)}`;
  session.userId = read.userId;
  session.capabilities = read.capabilities;
  session.settings = read.settings;
  session.muted = read.muted;
  return { name: read.name, changed: before !== `${session.userId} ${mayModerate(session)}` };
};
