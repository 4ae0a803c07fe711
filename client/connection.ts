import { ui } from './dom.js';
import type { Session } from './session.js';
import { type LinkState, notice, showCountdown, showStatus } from './status.js';
import { subprotocols, tokenExpired } from './token.js';
import type { Request } from './wire.js';

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10000;
// A handshake refused (or unreachable) again and again backs off further: each try of a refused
// `$connect` costs the server an invocation, and only a new sign-in token can change the answer.
const REFUSED_BACKOFF_CAP_MS = 60000;
const FAILURES_BEFORE_SLOWER = 3;
const CONNECT_TIMEOUT_MS = 15000;

/** Why the page itself closed a connection: to resume from further on, or to stop. */
export type CloseReason = 'catch-up' | 'gap' | 'leave' | 'offline';

/** One socket and what is known of it: whether its replay arrived, what it was asked. */
export interface Connection {
  socket: WebSocket;
  /** Opened with `since` (a resume), rather than for the room's latest page. */
  resume: boolean;
  open: boolean;
  /** Its replay (the `history` frame without `before`) has arrived. */
  replaySeen: boolean;
  /** The `before` of its request for an older page, and of its request for a gap. */
  olderBefore: number | null;
  gapBefore: number | null;
  reason: CloseReason | '';
  catchUpTimer: number;
  send(request: Request): void;
}

/** What the connection needs of the rest of the page. */
export interface ConnectionParts {
  session: Session;
  token: string | null;
  /** The seq to resume after, if any. */
  resumeAfter: () => number | null;
  /** Its state changed (the outbox shows it on each waiting message). */
  changed: () => void;
  opened: () => void;
  frame: (conn: Connection, data: string) => void;
  dropped: () => void;
}

/**
 * The socket to the room: one at a time, opened with `since` to resume after the contiguous
 * seqs, reopened after a drop with exponential backoff and full jitter (slower after refusals).
 */
export const createLink = (parts: ConnectionParts) => {
  const { session, token } = parts;
  let conn: Connection | null = null;
  let attempt = 0;
  let failures = 0;
  let everLive = false;
  let retryAt = 0;
  let retryTimer = 0;
  let countdown = 0;

  const setStatus = (state: LinkState, text: string) => {
    showStatus(state, text);
    parts.changed();
  };
  const clearRetry = () => {
    clearTimeout(retryTimer);
    clearInterval(countdown);
    retryTimer = 0;
  };
  const refusedText = (wsUrl: string) => {
    const host = new URL(wsUrl).host;
    const held = token
      ? 'The sign-in token this page holds may have expired or not be accepted'
      : 'A sign-in token may be missing or expired';
    return `The chat server (${host}) refused the connection, or cannot be reached. ${held}: if this chat needs you to sign in, open it again from the page that signs you in. Still trying…`;
  };
  const connect = () => {
    clearRetry();
    const server = session.server;
    if (!session.joined || conn || !server) return;
    if (!navigator.onLine) {
      setStatus('offline', 'Offline – waiting for the network');
      return;
    }
    const since = parts.resumeAfter();
    const url = new URL(server.wsUrl);
    url.searchParams.set('room', session.room);
    url.searchParams.set('name', session.name);
    if (since !== null) url.searchParams.set('since', String(since));
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, subprotocols(token));
    } catch {
      conn = null;
      setStatus('offline', 'Cannot open a connection');
      notice(`The server address ${server.wsUrl} is not a usable WebSocket URL.`);
      return;
    }
    const current: Connection = {
      socket,
      resume: since !== null,
      open: false,
      replaySeen: false,
      olderBefore: null,
      gapBefore: null,
      reason: '',
      catchUpTimer: 0,
      send: (request) => socket.send(JSON.stringify(request)),
    };
    conn = current;
    setStatus('connecting', attempt === 0 ? 'Connecting…' : 'Reconnecting…');
    const openTimer = setTimeout(() => {
      if (!current.open) socket.close();
    }, CONNECT_TIMEOUT_MS);
    socket.addEventListener('open', () => {
      clearTimeout(openTimer);
      if (conn !== current) return;
      current.open = true;
      failures = 0;
      everLive = true;
      if (ui.notice.dataset.kind === 'unreachable') ui.notice.hidden = true;
      setStatus('live', 'Live');
      parts.opened();
    });
    socket.addEventListener('message', (event) => {
      if (conn === current && typeof event.data === 'string') parts.frame(current, event.data);
    });
    socket.addEventListener('close', () => {
      clearTimeout(openTimer);
      if (conn !== current) return;
      conn = null;
      dropped(current);
    });
  };
  const dropped = (old: Connection) => {
    parts.dropped();
    if (!session.joined) return;
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
        setStatus('offline', 'Not connected – sign-in expired');
        return;
      }
      if (failures >= FAILURES_BEFORE_SLOWER || !everLive) {
        notice(refusedText(old.socket.url), 'unreachable');
      }
    }
    if (offline) {
      setStatus('offline', 'Offline – waiting for the network');
      return;
    }
    // Exponential backoff with full jitter: the first retry is almost immediate.
    const cap = failures >= FAILURES_BEFORE_SLOWER ? REFUSED_BACKOFF_CAP_MS : BACKOFF_CAP_MS;
    const ceiling = Math.min(cap, BACKOFF_BASE_MS * 2 ** attempt);
    const delay = Math.random() * ceiling;
    attempt++;
    retryAt = Date.now() + delay;
    retryTimer = setTimeout(connect, delay);
    setStatus('reconnecting', 'Reconnecting');
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
    },
  };
};

/** The connection of one page. */
export type Link = ReturnType<typeof createLink>;
