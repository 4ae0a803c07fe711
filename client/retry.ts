const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10000;
// A handshake refused (or unreachable) again and again backs off further: each try of a refused
// `$connect` costs the server an invocation, and only a new sign-in token can change the answer.
const REFUSED_BACKOFF_CAP_MS = 60000;
const FAILURES_BEFORE_SLOWER = 3;

/** Handshakes failed often enough in a row to say so and to back off further. */
export const refusedOften = (failures: number) => failures >= FAILURES_BEFORE_SLOWER;

/** The wait before the next try: exponential backoff with full jitter (the first is at once). */
export const retryDelay = (attempt: number, failures: number) => {
  const cap = refusedOften(failures) ? REFUSED_BACKOFF_CAP_MS : BACKOFF_CAP_MS;
  return Math.random() * Math.min(cap, BACKOFF_BASE_MS * 2 ** attempt);
};

/**
 * What to tell the user when handshakes fail. A browser sees neither the status nor the reason
 * of a refused handshake (`409 room "x" is full`, `401 a token is required`), only that it
 * failed, as when nothing answers: so the page names what the server refuses connections for.
 */
export const refusedText = (wsUrl: string, token: string | null, room: string) => {
  const host = new URL(wsUrl).host;
  const held = token
    ? 'the sign-in token this page holds may have expired or not be accepted'
    : 'a sign-in token may be missing or expired';
  return `The chat server (${host}) refused the connection, or cannot be reached. The room “${room}” may be full (the server lets more in as others leave), or ${held}: if this chat needs you to sign in, open it again from the page that signs you in. Still trying…`;
};
