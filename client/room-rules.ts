import { blockSending } from './composer.js';
import { ui } from './dom.js';
import { isMuted, mayModerate, maySend, type Session } from './session.js';
import { clockTime, secondsText } from './when.js';

// The longest a timer may wait (setTimeout's limit); a mute that ends later is checked again then.
const LONGEST_WAIT_MS = 2 ** 31 - 1;

/** What limits sending here, and whether it stops this user now. */
interface Rule {
  text: string;
  blocks: boolean;
  /** When what it says changes by itself (a countdown's next second, a mute's end), or 0. */
  changesAt: number;
}

/**
 * The room's rules as the composer shows them: a user without `send`, a mute (until when and
 * why), read-only (only moderators send) and slow mode (one message every N seconds, counted down
 * after each one sent). What stops this user from sending disables the composer's Send until it
 * ends; moderators are exempt from read-only and slow mode.
 */
export const createRoomRules = (session: Session) => {
  /** In slow mode, when this user may send next. */
  let nextSendAt = 0;
  let timer = 0;

  const slowMode = () => session.settings.slowModeSeconds > 0 && !mayModerate(session);
  const ruleNow = (now: number): Rule => {
    const { slowModeSeconds, readOnly } = session.settings;
    const moderator = mayModerate(session);
    if (!maySend(session))
      return { text: 'You may read this room but not send in it.', blocks: true, changesAt: 0 };
    const mute = session.muted;
    if (mute && isMuted(session)) {
      const until = mute.until === null ? 'until lifted' : `until ${clockTime(mute.until)}`;
      const why = mute.reason ? `: ${mute.reason}` : '';
      return { text: `muted ${until}${why}`, blocks: true, changesAt: mute.until ?? 0 };
    }
    const notes: string[] = [];
    if (readOnly) notes.push('read-only: only moderators can send');
    if (readOnly && !moderator) return { text: notes.join(''), blocks: true, changesAt: 0 };
    if (slowModeSeconds > 0)
      notes.push(`slow mode: one message every ${secondsText(slowModeSeconds)}`);
    if (notes.length && moderator)
      return { text: `${notes.join(' · ')} (moderators are exempt)`, blocks: false, changesAt: 0 };
    if (slowModeSeconds > 0 && nextSendAt > now) {
      const left = nextSendAt - now;
      notes.push(`next in ${Math.ceil(left / 1000)} s`);
      return { text: notes.join(' · '), blocks: true, changesAt: now + (left % 1000 || 1000) };
    }
    return { text: notes.join(' · '), blocks: false, changesAt: 0 };
  };
  const render = () => {
    clearTimeout(timer);
    const now = Date.now();
    const rule = ruleNow(now);
    ui.rules.textContent = rule.text;
    ui.rules.hidden = rule.text === '';
    ui.rules.classList.toggle('blocking', rule.blocks);
    blockSending(rule.blocks);
    timer = rule.changesAt
      ? setTimeout(render, Math.min(LONGEST_WAIT_MS, rule.changesAt - now))
      : 0;
  };

  return {
    render,
    /** This user sent a message: in slow mode, the next waits the room's interval. */
    sent() {
      if (slowMode()) nextSendAt = Date.now() + session.settings.slowModeSeconds * 1000;
      render();
    },
    /**
     * The server refused a message for coming too soon: in slow mode the wait is counted down
     * (true); otherwise it is not the room's rule that refused it (false).
     */
    slowedFor(ms: number) {
      if (!slowMode()) return false;
      nextSendAt = Math.max(nextSendAt, Date.now() + ms);
      render();
      return true;
    },
    /** The server said this user is muted (until when, if it said; why). */
    muted(until: number | null, reason: string) {
      session.muted = { until, reason: reason || session.muted?.reason || '' };
      render();
    },
    /** Forgets the room (leaving it). */
    clear() {
      nextSendAt = 0;
      render();
    },
  };
};

/** The composer's rules of one page's room. */
export type RoomRules = ReturnType<typeof createRoomRules>;
