const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10000;
// A handshake refused (or unreachable) again and again backs off further: each try of a refused
// `$connect` costs the server an invocation, and only a new sign-in token can change the answer.
const REFUSED_BACKOFF_CAP_MS = 60000;
const FAILURES_BEFORE_SLOWER = 3;
// A server this page was live on a moment ago is most likely restarting or behind a network blip
// of seconds, not refusing it: the page keeps trying within BACKOFF_CAP_MS for this long, so it is
// back within seconds of the server (a 60 s cap turned a 7 s outage into half a minute offline).
// Only an outage longer than this backs off further, as a page that never got in does at once.
const STEADY_RETRY_MS = 3 * 60_000;

/** Handshakes failed often enough in a row to back off further. */
const refusedOften = (failures: number) => failures >= FAILURES_BEFORE_SLOWER;

/**
 * The wait before the next try: exponential backoff with full jitter (the first is at once).
 * `outageMs` is how long ago the page was last live in this room (null: it never was).
 */
export const retryDelay = (attempt: number, failures: number, outageMs: number | null) => {
  const steady = outageMs !== null && outageMs < STEADY_RETRY_MS;
  const cap = refusedOften(failures) && !steady ? REFUSED_BACKOFF_CAP_MS : BACKOFF_CAP_MS;
  return Math.random() * Math.min(cap, BACKOFF_BASE_MS * 2 ** attempt);
};
