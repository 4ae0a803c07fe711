import { type CloseReason, type Connection, openConnection } from './connection.js';
import { ui } from './dom.js';
import { createLinkBanner } from './link-banner.js';
import { retryDelay } from './retry.js';
import type { Session } from './session.js';
import { socketUrl } from './socket-url.js';
import { type LinkState, notice, showCountdown, showStatus, syncRetryButton } from './status.js';
import { subprotocols, tokenExpired } from './token.js';

/** What the link needs of the rest of the page. */
export interface LinkParts {
  session: Session;
  token: string | null;
  /** The page's key, offered on every connect. */
  key: string;
  /** The seq to resume after, if any. */
  resumeAfter: () => number | null;
  /** Its state changed (the outbox shows it on each waiting message). */
  changed: () => void;
  opened: () => void;
  frame: (conn: Connection, data: string) => void;
  dropped: () => void;
  /**
   * Why a refused handshake will be refused again, if the page knows (this user was banned from
   * the room): what to tell the user and the status to show instead of retrying.
   */
  refusal: () => { notice: string; status: string } | null;
}

/** Why the page stopped trying: the status line to show, and its retry button's label. */
interface Halt {
  status: string;
  retryLabel: string;
}

/**
 * The socket to the room: one at a time, opened with `since` to resume after the contiguous
 * seqs, reopened after a drop with exponential backoff and full jitter (slower after refusals,
 * unless the page was live a moment ago), and a banner once an outage outlasts its grace.
 */
export const createLink = (parts: LinkParts) => {
  const { session, token } = parts;
  let conn: Connection | null = null;
  let attempt = 0;
  let failures = 0;
  let everLive = false;
  /** When the page was last live in this room (meaningful once `everLive`). */
  let liveUntil = 0;
  let retryAt = 0;
  let retryTimer = 0;
  let countdown = 0;
  let halt: Halt = { status: '', retryLabel: '' };
  const banner = createLinkBanner();
  const known = (offline: boolean) => ({
    offline,
    token: token !== null,
    everLive,
    host: session.server ? new URL(session.server.wsUrl).host : '',
    room: session.room,
  });
  // The browser's own network coming and going shows or hides the retry button at once.
  addEventListener('online', syncRetryButton);
  addEventListener('offline', syncRetryButton);

  const setStatus = (state: LinkState, text: string, retryLabel?: string) => {
    showStatus(state, text, retryLabel);
    parts.changed();
  };
  const clearRetry = () => {
    clearTimeout(retryTimer);
    clearInterval(countdown);
    retryTimer = 0;
  };
  const connect = () => {
    clearRetry();
    const server = session.server;
    if (!session.joined || conn || !server) return;
    if (!navigator.onLine) {
      setStatus('offline', 'Offline – waiting for the network');
      banner.down(known(true));
      return;
    }
    banner.update(known(false));
    const since = parts.resumeAfter();
    const url = socketUrl(server.wsUrl, session.room, session.name, since);
    let current: Connection;
    try {
      current = openConnection(url, subprotocols(token, parts.key), since !== null, {
        opened: () => {
          if (conn !== current) return;
          current.open = true;
          failures = 0;
          everLive = true;
          banner.clear();
          if (ui.notice.dataset.kind === 'unreachable') ui.notice.hidden = true;
          setStatus('live', 'Live');
          parts.opened();
        },
        frame: (data) => {
          if (conn === current) parts.frame(current, data);
        },
        closed: () => {
          if (conn !== current) return;
          conn = null;
          dropped(current);
        },
      });
    } catch {
      conn = null;
      setStatus('offline', 'Cannot open a connection');
      notice(`The server address ${server.wsUrl} is not a usable WebSocket URL.`);
      return;
    }
    conn = current;
    setStatus('connecting', attempt === 0 ? 'Connecting…' : 'Reconnecting…');
  };
  /** Stopped for a reason a notice gives: no banner. */
  const halted = (status: string, retryLabel?: string) => {
    banner.clear();
    setStatus('offline', status, retryLabel);
  };
  const dropped = (old: Connection) => {
    parts.dropped();
    if (old.open) liveUntil = Date.now();
    if (!session.joined) return banner.clear();
    if (old.reason === 'removed') return halted(halt.status, halt.retryLabel);
    if (old.reason === 'catch-up' || old.reason === 'gap') return connect();
    const offline = !navigator.onLine || old.reason === 'offline';
    if (!old.open && !offline) {
      // A refused `$connect` (401, 403) reaches a browser only as a failed handshake (1006, no
      // reason), just like a server that cannot be reached: the page cannot tell them apart.
      failures++;
      if (token && tokenExpired(token)) {
        // Retrying cannot help until the hosting page hands over a new token.
        notice(
          'Your sign-in has expired, so the chat server refused the connection. Open the chat again from the page that signed you in.',
          'unreachable',
        );
        return halted('Not connected – sign-in expired');
      }
      // Trying again cannot help while the ban this page was told of lasts.
      const refused = parts.refusal();
      if (refused) {
        notice(refused.notice, 'unreachable');
        return halted(refused.status, 'Try again');
      }
    }
    banner.down(known(offline));
    if (offline) {
      setStatus('offline', 'Offline – waiting for the network');
      return;
    }
    const delay = retryDelay(attempt, failures, everLive ? Date.now() - liveUntil : null);
    attempt++;
    retryAt = Date.now() + delay;
    retryTimer = setTimeout(connect, delay);
    setStatus('reconnecting', 'Reconnecting…');
    showCountdown(retryAt);
    countdown = setInterval(() => showCountdown(retryAt), 250);
  };
  const close = (reason: CloseReason) => {
    // Let go of the socket now rather than on its close event, which a dead network delays.
    const old = conn;
    if (!old) return;
    old.reason = reason;
    conn = null;
    old.socket.close(1000);
    dropped(old);
  };

  return {
    /** The socket in use, open or opening, if any. */
    get current() {
      return conn;
    },
    /** Waiting to try again. */
    get retrying() {
      return retryTimer !== 0;
    },
    connect,
    close,
    clearRetry,
    /**
     * Closes the connection for good (a moderator removed this user): no retry until the user
     * asks, with this status and retry button label.
     */
    stop(status: string, retryLabel: string) {
      halt = { status, retryLabel };
      clearRetry();
      if (conn) close('removed');
      else halted(status, retryLabel);
    },
    /** Connects now if joined and not connected (the network is back, or the user asked). */
    reconnectNow() {
      if (!session.joined) return;
      if (conn) return;
      connect();
    },
    /** The next try waits as little as the first: the server answered, or the user asked. */
    resetAttempts() {
      attempt = 0;
    },
    /** A new room: no failures, no attempts yet. */
    reset() {
      attempt = 0;
      failures = 0;
      everLive = false;
      banner.clear();
    },
  };
};

/** The connection of one page. */
export type Link = ReturnType<typeof createLink>;
