import { HISTORY_MAX_LIMIT as HISTORY_LIMIT } from '../src/protocol/limits.js';
import type { Connection } from './connection.js';
import type { Gap, MessageLog } from './message-log.js';

// A missing seq first gets a moment to arrive live (two senders' broadcasts can cross), then
// its range is fetched, again after 2, 4, 8… s while the server leaves a young hole unanswered
// (it gives a dead writer's seq up about 5 s after the next message), and only after that many
// fetches does the page resume from before the gap.
const GAP_WAIT_MS = 1200;
const GAP_RETRY_BASE_MS = 2000;
const GAP_RETRY_CAP_MS = 30000;
const GAP_FETCHES_BEFORE_RESUME = 4;

/** What filling gaps needs of the rest of the page. */
export interface GapParts {
  log: MessageLog;
  live: () => Connection | null;
  /** An older page is on its way (it may hold what looks missing). */
  loadingOlder: () => boolean;
  /** Resumes from before the gap on a new connection. */
  resume: () => void;
}

/** Fills the first gap in the seqs: waits, fetches its range, and at last resumes before it. */
export const createGapFiller = ({ log, live, loadingOlder, resume }: GapParts) => {
  let gap: Gap | null = null;
  let timer = 0;
  let resumedAfter: number | null = null;

  const arm = (delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(due, delay);
  };
  const due = () => {
    timer = 0;
    const conn = live();
    // Without a live connection, its replay's frames review the gap again.
    if (!gap || !conn?.open || !conn.replaySeen) return;
    // An older page may still be arriving frame by frame: what looks missing may be on its way.
    if (loadingOlder()) return arm(GAP_WAIT_MS);
    if (gap.fetches >= GAP_FETCHES_BEFORE_RESUME && resumedAfter !== gap.after) {
      resumedAfter = gap.after;
      resume();
      return;
    }
    // One request at a time: one still unanswered by now is given up on (a late answer still
    // counts).
    conn.gapBefore = gap.until;
    const limit = Math.min(HISTORY_LIMIT, gap.until - gap.after - 1);
    conn.send({ action: 'history', before: gap.until, limit });
    gap.fetches++;
    arm(Math.min(GAP_RETRY_CAP_MS, GAP_RETRY_BASE_MS * 2 ** (gap.fetches - 1)));
  };

  return {
    /** Seqs got resolved: a new gap (or one that shrank) starts its wait afresh. */
    review() {
      const found = log.firstGap();
      if (!found) {
        clearTimeout(timer);
        gap = null;
        timer = 0;
      } else if (found.key !== gap?.key) {
        gap = found;
        arm(GAP_WAIT_MS);
      } else if (!timer) arm(GAP_WAIT_MS);
    },
    /** Forgets every gap (leaving the room). */
    clear() {
      clearTimeout(timer);
      gap = null;
      timer = 0;
      resumedAfter = null;
    },
  };
};

/** The gap filler of one page. */
export type GapFiller = ReturnType<typeof createGapFiller>;
