import type { Link } from './link.js';
import { saved } from './saved.js';
import { roomKey, type Session } from './session.js';
import { notice } from './status.js';
import { clockTime, localTimes, sentence } from './when.js';

/** What the page remembers of a ban: what the server said, and when it ends (null: until lifted). */
interface KeptBan {
  message: string;
  until: number | null;
}

const bannedStatus = (until: number | null) =>
  until === null ? 'Banned until lifted' : `Banned until ${clockTime(until)}`;

/** What showing a removal needs of the rest of the page. */
export interface RemovalParts {
  session: Session;
  link: Link;
}

/**
 * A moderator removed this page's user: a kick (they may rejoin by hand) or a ban (told why and
 * until when). Either stops the page from reconnecting by itself, and a ban is remembered for the
 * room, since the server's later refusals of `$connect` reach a browser without their reason.
 */
export const createRemoval = ({ session, link }: RemovalParts) => {
  const keptBan = (): KeptBan | null => {
    const kept = saved.get(roomKey(session, 'ban'), null) as Record<string, unknown> | null;
    if (!kept || typeof kept.message !== 'string') return null;
    const until = typeof kept.until === 'number' ? kept.until : null;
    return until !== null && until <= Date.now() ? null : { message: kept.message, until };
  };

  return {
    /** A `kicked` or `banned` error frame, which the server follows by closing the socket. */
    removed(code: 'kicked' | 'banned', message: string, until: unknown) {
      if (code === 'kicked') {
        notice(
          `${sentence(message || 'you were removed from the room')}. You may rejoin.`,
          'unreachable',
        );
        link.stop('Removed from the room', 'Rejoin');
        return;
      }
      const end = typeof until === 'string' ? Date.parse(until) : Number.NaN;
      const ban: KeptBan = {
        message: message || 'you are banned from this room',
        until: Number.isNaN(end) ? null : end,
      };
      saved.set(roomKey(session, 'ban'), ban);
      notice(sentence(localTimes(ban.message)), 'unreachable');
      link.stop(bannedStatus(ban.until), 'Try again');
    },
    /** Why a refused handshake is no surprise: the ban this page was last told of still lasts. */
    refusal() {
      const ban = keptBan();
      if (!ban) return null;
      return {
        notice: `The chat server refused the connection. The last it said: ${sentence(localTimes(ban.message))}`,
        status: bannedStatus(ban.until),
      };
    },
    /** A connection opened: any ban this page was told of is over. */
    connected() {
      saved.remove(roomKey(session, 'ban'));
    },
  };
};

/** How one page shows its user's removal from the room. */
export type Removal = ReturnType<typeof createRemoval>;
