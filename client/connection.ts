import type { Request } from './wire.js';

const CONNECT_TIMEOUT_MS = 15000;

/**
 * Why the page itself closed a connection: to resume from further on, or to stop (`removed`: a
 * moderator kicked or banned this user, so it does not come back by itself).
 */
export type CloseReason = 'catch-up' | 'gap' | 'leave' | 'offline' | 'removed';
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

/** What a socket reports to its owner. */
export interface SocketEvents {
  opened: () => void;
  frame: (data: string) => void;
  closed: () => void;
}

/**
 * Opens a socket (throws for an unusable URL), given up on if it is not open in time; `resume`
 * says whether the URL carries `since`.
 */
export const openConnection = (
  url: URL,
  protocols: string[],
  resume: boolean,
  on: SocketEvents,
): Connection => {
  const socket = new WebSocket(url, protocols);
  const conn: Connection = {
    socket,
    resume,
    open: false,
    replaySeen: false,
    olderBefore: null,
    gapBefore: null,
    reason: '',
    catchUpTimer: 0,
    send: (request) => socket.send(JSON.stringify(request)),
  };
  const openTimer = setTimeout(() => {
    if (!conn.open) socket.close();
  }, CONNECT_TIMEOUT_MS);
  socket.addEventListener('open', () => {
    clearTimeout(openTimer);
    on.opened();
  });
  socket.addEventListener('message', (event) => {
    if (typeof event.data === 'string') on.frame(event.data);
  });
  socket.addEventListener('close', () => {
    clearTimeout(openTimer);
    on.closed();
  });
  return conn;
};
