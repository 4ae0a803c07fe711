import { HISTORY_DEFAULT_LIMIT as PAGE_SIZE } from '../src/protocol/limits.js';
import type { Connection } from './connection.js';
import { ui } from './dom.js';
import type { MessageLog } from './message-log.js';

const OLDER_TIMEOUT_MS = 15000;

/** What loading older pages needs of the rest of the page. */
export interface OlderParts {
  log: MessageLog;
  live: () => Connection | null;
  renderTop: () => void;
}

/**
 * Older messages, a page at a time, when the reader nears the top: one request in flight, given
 * up on after a while; `exhausted` once the server said there are no more. After a refusal none
 * is asked for until its wait is over: the server answers one refusal per window and drops the
 * rest silently, so a request sent meanwhile would only hang until its timeout.
 */
export const createOlderPages = ({ log, live, renderTop }: OlderParts) => {
  let exhausted = false;
  let inFlight = false;
  let timer = 0;
  let pausedUntil = 0;

  return {
    get exhausted() {
      return exhausted;
    },
    get inFlight() {
      return inFlight;
    },
    /** Asks for the page before the oldest seq known when the reader nears the top (or `force`). */
    maybeLoad(force?: boolean) {
      const conn = live();
      if (!conn?.open || !conn.replaySeen || exhausted || inFlight || log.seqs.length === 0) return;
      if (Date.now() < pausedUntil) return;
      if (force !== true && ui.log.scrollTop > 300) return;
      const before = log.lowestResolved();
      if (before === null) return;
      conn.olderBefore = before;
      inFlight = true;
      conn.send({ action: 'history', before, limit: PAGE_SIZE });
      timer = setTimeout(() => {
        inFlight = false;
        renderTop();
      }, OLDER_TIMEOUT_MS);
      renderTop();
    },
    /** The request in flight is over, answered or not (the caller shows it). */
    settle() {
      clearTimeout(timer);
      inFlight = false;
    },
    /** The server refused a request: ask for none before `ms` has passed. */
    pause(ms: number) {
      pausedUntil = Date.now() + ms;
    },
    /** The server's answer says whether anything is older. */
    answered(hasMore: boolean) {
      exhausted = !hasMore;
    },
    /** A new room: nothing is known to be exhausted yet. */
    reset() {
      exhausted = false;
    },
  };
};

/** Older pages of one page's log. */
export type OlderPages = ReturnType<typeof createOlderPages>;
