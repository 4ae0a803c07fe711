import type { ModerationEvent } from './moderation-event.js';
import { minutesText, secondsText } from './when.js';

/** How long a ban or a mute lasts, from its event: "for 1 h", or "until lifted". */
const lasting = (e: ModerationEvent) => {
  if (e.until === undefined) return 'until lifted';
  const minutes = Math.round((Date.parse(e.until) - Date.parse(e.at)) / 60_000);
  return Number.isFinite(minutes) && minutes > 0 ? `for ${minutesText(minutes)}` : 'briefly';
};

/** The room's new settings: "slow mode on: 10 s, read-only off". */
const settings = (e: ModerationEvent) => {
  const parts: string[] = [];
  if (e.slowModeSeconds !== undefined)
    parts.push(
      e.slowModeSeconds > 0 ? `slow mode on: ${secondsText(e.slowModeSeconds)}` : 'slow mode off',
    );
  if (e.readOnly !== undefined) parts.push(`read-only ${e.readOnly ? 'on' : 'off'}`);
  return parts.length ? parts.join(', ') : 'the room’s settings';
};

/**
 * A moderation event as a line of the timeline: "mod banned troll for 1 h: spam", "mod turned
 * slow mode on: 10 s". A target whose name the server did not know is shown by its id's start.
 */
export const moderationLine = (e: ModerationEvent) => {
  const by = e.by?.name ?? 'a moderator';
  const whom = e.name ?? `someone (${(e.userId ?? '').slice(0, 4)})`;
  const why = e.reason ? `: ${e.reason}` : '';
  switch (e.action) {
    case 'kick':
      return `${by} removed ${whom} from the room${why}`;
    case 'ban':
      return `${by} banned ${whom} ${lasting(e)}${why}`;
    case 'mute':
      return `${by} muted ${whom} ${lasting(e)}${why}`;
    case 'unban':
      return `${by} lifted the ban on ${whom}`;
    case 'unmute':
      return `${by} unmuted ${whom}`;
    case 'roomsettings':
      return `${by} turned ${settings(e)}`;
  }
};
