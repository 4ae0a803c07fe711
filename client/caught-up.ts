import type { Connection } from './connection.js';
import { ui } from './dom.js';
import type { MessageLog } from './message-log.js';
import type { ChatMessage } from './wire.js';

// A resume's replay may come in several frames and, when more waited than one replay holds, on
// several connections in a row: the summary waits until they stop, to be said once.
const SETTLE_MS = 1500;
// Long enough to be read after a glance back at the page; it is not the only place it is said.
const SHOWN_MS = 20_000;

/** The summary of `n` messages caught up. */
export const caughtUpText = (n: number) =>
  `${n} ${n === 1 ? 'message' : 'messages'} arrived while you were away`;

/**
 * Counts the messages a reconnect's replay brought that the page had not shown (not this user's
 * own, not deleted ones), and says how many once, to screen readers (the polite announcer) and
 * in a small line.
 */
export const createCaughtUp = (log: MessageLog) => {
  let seqs = new Set<number>();
  let settle = 0;
  let hide = 0;
  const summarise = () => {
    settle = 0;
    let n = 0;
    for (const seq of seqs) {
      const entry = log.get(seq);
      if (entry && !entry.own && !entry.m.deleted) n++;
    }
    seqs = new Set();
    if (n === 0) return;
    const text = caughtUpText(n);
    ui.announcer.textContent = text;
    ui.caughtUp.textContent = text;
    ui.caughtUp.hidden = false;
    clearTimeout(hide);
    hide = setTimeout(() => {
      ui.caughtUp.hidden = true;
    }, SHOWN_MS);
  };
  return {
    /** A replay's messages, before they are shown: those new to the page count if it resumed. */
    replayed(conn: Connection, list: readonly ChatMessage[]) {
      // A replay without `since` is the room's latest to a page that holds nothing (it started
      // over): what it brings was not missed, and seqs counted before may mean other messages.
      if (!conn.resume) {
        clearTimeout(settle);
        settle = 0;
        seqs = new Set();
        return;
      }
      const before = seqs.size;
      for (const m of list) if (!log.has(m.seq)) seqs.add(m.seq);
      if (seqs.size === before && !settle) return;
      clearTimeout(settle);
      settle = setTimeout(summarise, SETTLE_MS);
    },
    /** Leaving the room: nothing to summarise, nothing shown. */
    clear() {
      clearTimeout(settle);
      clearTimeout(hide);
      settle = 0;
      seqs = new Set();
      ui.caughtUp.hidden = true;
    },
  };
};

/** The caught-up summary of one page. */
export type CaughtUp = ReturnType<typeof createCaughtUp>;
