import type { Connection } from './connection.js';
import type { GapFiller } from './gaps.js';
import type { Link } from './link.js';
import type { MessageLog } from './message-log.js';
import type { Moderation } from './moderation.js';
import type { OlderPages } from './older.js';
import type { Timeline } from './timeline.js';
import type { Updates } from './updates.js';

/** How far apart the servers' clocks may be when they stamp a log's start and its messages. */
const CLOCK_SKEW_MS = 1000;

/** What starting over forgets, and the link it reconnects. */
export interface LogWatchParts {
  log: MessageLog;
  timeline: Timeline;
  gaps: GapFiller;
  updates: Updates;
  moderation: Moderation;
  older: OlderPages;
  link: Link;
}

/**
 * Which of the room's logs the page's seqs are from, by the `log` its history frames name
 * (docs/protocol.md#history-replay-and-resume). A frame naming another log means the room's log
 * was started again (an in-memory server restarted): its seqs now mean other messages, so the
 * page starts over, forgetting every seq it holds and reconnecting for the room's latest. The
 * outbox keeps what was not acknowledged and sends it again; its ids are stored once.
 */
export const createLogWatch = (parts: LogWatchParts) => {
  /** The log the page's seqs are from: null before any history, undefined for "none yet". */
  let held: string | undefined | null = null;

  /**
   * Whether the seqs the page holds, which came live into a room that had no log when the page
   * read it, are of the log a resume names: a log holds no message sent before it began (give or
   * take the servers' clocks), and a log started again began after every message of the old one.
   */
  const sameLog = (log: string | undefined) => {
    const first = parts.log.get(parts.log.seqs[0])?.m.sentAt;
    if (log === undefined || first === undefined) return false;
    return Date.parse(first) >= Date.parse(log) - CLOCK_SKEW_MS;
  };
  const startOver = () => {
    held = null;
    parts.gaps.clear();
    parts.log.clear();
    parts.timeline.clear();
    parts.updates.clear();
    parts.moderation.clear();
    parts.older.reset();
    // Reconnects at once, and with no seq held, without `since`: a fresh replay of the latest.
    parts.link.close('catch-up');
  };

  return {
    /**
     * Reads a `history` frame's log; true when the page started over, and the frame (of a log the
     * page no longer holds, on a connection let go) is to be dropped.
     */
    changed(conn: Connection, frame: Record<string, unknown>) {
      const log = typeof frame.log === 'string' ? frame.log : undefined;
      const replay = frame.before === undefined;
      // A connection opened without `since` came to a page holding nothing (just joined, or
      // started over): all it brings is from the log its replay names.
      if (held === null || (replay && !conn.resume)) {
        held = log;
        return false;
      }
      // Read before the room had a log, the page holds seqs that came live: a resume's replay
      // is where they may turn out to be of a log gone. Otherwise, a log once unknown is learnt.
      const unsure = held === undefined && replay && parts.log.lowestResolved() !== null;
      if (unsure ? sameLog(log) : log === held || held === undefined) {
        held = log;
        return false;
      }
      startOver();
      return true;
    },
  };
};

/** Which log one page's seqs are from. */
export type LogWatch = ReturnType<typeof createLogWatch>;
