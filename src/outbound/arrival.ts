import { GATEWAY_INTEGRATION_TIMEOUT_MS } from '../protocol/limits.js';

/**
 * How long after `$connect` registered a connection a 410 from it may only mean "not open yet":
 * API Gateway refuses posts to a connection until its `$connect` has returned, which may take up
 * to the integration timeout (a second more covers the clocks and the hop back). Counted from the
 * connection's `connectedAt`, the handler's own stamp. Within it, a broadcast passes such a
 * member by (its replay reads the log once the socket is open) and a replay keeps retrying;
 * after it, a 410 means gone.
 */
export const ARRIVAL_WINDOW_MS = GATEWAY_INTEGRATION_TIMEOUT_MS + 1_000;

/** Whether a connection registered at `connectedAt` may still be arriving at `now`. */
export const mayStillArrive = (connectedAt: number | undefined, now: number) =>
  connectedAt !== undefined && now < connectedAt + ARRIVAL_WINDOW_MS;

/**
 * Whether a connection that answered 410 may still be arriving: it is within the arrival window
 * and its item is still there. A client that hung up is gone as soon as `$disconnect` has run, so
 * a replay does not wait out the window for it.
 */
export const arrivingCheck =
  (
    store: { getConnection: (id: string) => Promise<{ connectedAt: number } | undefined> },
    connectionId: string,
    connectedAt: number,
    now: () => number,
  ) =>
  async () => {
    if (!mayStillArrive(connectedAt, now())) return false;
    const connection = await store.getConnection(connectionId).catch(() => undefined);
    return connection !== undefined && mayStillArrive(connection.connectedAt, now());
  };
