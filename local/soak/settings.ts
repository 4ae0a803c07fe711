/** The soaks' sizes and the chat settings they run under, for `npm run soak` and `npm test` alike. */

/**
 * Rate limits lifted for the soak: its clients send as fast as acknowledgements allow, and one
 * machine plays every client, so its address would be one network over its source limits.
 */
export const SOAK_ENV: Record<string, string> = {
  RATE_LIMIT_PER_SECOND: '1000',
  RATE_LIMIT_BURST: '1000',
  SOURCE_RATE_PER_SECOND: '0',
  SOURCE_CONNECTS_PER_MINUTE: '0',
  SOURCE_SOCKETS_MAX: '0',
  SOURCE_HISTORY_PER_MINUTE: '0',
  ROOM_NETWORK_SHARE: '0',
};

/** The short soak (`npm test`, `npm run soak -- --quick`). */
export const SHORT_SOAK = {
  rooms: 3,
  clients: 30,
  senders: 6,
  typists: 3,
  messages: 240,
  dropsPerSecond: 10,
  deadlineMs: 90_000,
};

/**
 * The full soak (`npm run soak`): what two cores carry with presence on (docs/reliability.md#soak
 * says why it is 10 drops a second and not 20).
 */
export const FULL_SOAK = {
  rooms: 8,
  clients: 300,
  senders: 40,
  typists: 16,
  messages: 4_000,
  dropsPerSecond: 10,
  deadlineMs: 600_000,
};
