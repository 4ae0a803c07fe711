import { el, ui } from './dom.js';
import type { MessageLog } from './message-log.js';
import type { ModerationEvent } from './moderation-event.js';
import { moderationLine } from './moderation-line.js';
import type { People } from './people.js';
import type { Session } from './session.js';
import type { Timeline } from './timeline.js';
import { clockTime } from './when.js';

/** What showing moderation events needs of the rest of the page. */
export interface ModerationParts {
  session: Session;
  log: MessageLog;
  timeline: Timeline;
  people: People;
  /** The room's settings, or this user's mute, changed. */
  rulesChanged: () => void;
  /** Who is banned or muted (as far as the events seen say) may have changed. */
  standingChanged: () => void;
}

/** A ban or a mute in force, as the latest event about it says. */
export interface InForce {
  userId: string;
  name: string;
  ban: ModerationEvent | null;
  mute: ModerationEvent | null;
}

/** Whether a ban or mute event still holds: it was not lifted and has not ended. */
const holds = (e: ModerationEvent | undefined, now: number) =>
  (e?.action === 'ban' || e?.action === 'mute') &&
  (e.until === undefined || Date.parse(e.until) > now);

const kindOf = (e: ModerationEvent) =>
  e.action === 'ban' || e.action === 'unban'
    ? 'ban'
    : e.action === 'mute' || e.action === 'unmute'
      ? 'mute'
      : null;

/**
 * The room's moderation events, live and from history pages: each resolves its seq and is shown
 * as a quiet line among the messages. Live ones change what they are about now (the room's
 * settings, this user's mute); all of them, in seq order per person, say who is banned or muted.
 */
export const createModeration = (parts: ModerationParts) => {
  const { session, log, timeline, people } = parts;
  /** Per person, the latest ban-or-unban and mute-or-unmute seen. */
  let latest = new Map<string, { ban?: ModerationEvent; mute?: ModerationEvent }>();

  const track = (e: ModerationEvent) => {
    const kind = kindOf(e);
    if (!kind || !e.userId) return;
    const known = latest.get(e.userId) ?? {};
    if ((known[kind]?.seq ?? 0) < e.seq) known[kind] = e;
    latest.set(e.userId, known);
  };
  const applyNow = (e: ModerationEvent) => {
    if (e.action === 'roomsettings') {
      if (e.slowModeSeconds !== undefined) session.settings.slowModeSeconds = e.slowModeSeconds;
      if (e.readOnly !== undefined) session.settings.readOnly = e.readOnly;
      parts.rulesChanged();
    } else if (e.userId === session.userId && (e.action === 'mute' || e.action === 'unmute')) {
      session.muted =
        e.action === 'mute'
          ? { until: e.until === undefined ? null : Date.parse(e.until), reason: e.reason ?? '' }
          : null;
      parts.rulesChanged();
    }
  };
  const lineOf = (e: ModerationEvent, text: string) => {
    const li = el('li', 'event');
    const said = el('span', 'event-text', text);
    said.dir = 'auto';
    li.append(said);
    const at = Date.parse(e.at);
    if (!Number.isNaN(at)) {
      const time = el('time', '', clockTime(at));
      time.dateTime = e.at;
      li.append(' ', time);
    }
    return li;
  };

  return {
    /** A moderation event arrived: `live` from its frame, or read from a history page. */
    event(e: ModerationEvent, live: boolean) {
      if (log.events.has(e.seq)) return;
      log.noted(e.seq);
      if (e.by) people.saw(e.by.name, e.by.userId);
      if (e.name) people.saw(e.name, e.userId);
      // The server names the target only when it was in the room (not for a later unban).
      else if (e.userId) {
        const known = people.nameOf(e.userId);
        if (known !== undefined) e.name = known;
      }
      const text = moderationLine(e);
      timeline.line(lineOf(e, text), e.seq);
      track(e);
      if (live) {
        applyNow(e);
        ui.announcer.textContent = text;
      }
      parts.standingChanged();
    },
    /** The bans and mutes in force as far as the events seen say, by name. */
    inForce(): InForce[] {
      const now = Date.now();
      const found: InForce[] = [];
      for (const [userId, { ban, mute }] of latest) {
        const banned = holds(ban, now) ? (ban ?? null) : null;
        const muted = holds(mute, now) ? (mute ?? null) : null;
        if (!banned && !muted) continue;
        const name = banned?.name ?? muted?.name ?? `someone (${userId.slice(0, 4)})`;
        found.push({ userId, name, ban: banned, mute: muted });
      }
      return found.sort((a, b) => a.name.localeCompare(b.name));
    },
    /** Forgets the room's events (leaving it). */
    clear() {
      latest = new Map();
    },
  };
};

/** The moderation events one page has seen. */
export type Moderation = ReturnType<typeof createModeration>;
