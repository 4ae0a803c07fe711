/**
 * The room's socket address: `server` with `room`, `name` and, to resume, `since` in its query.
 * Each value is percent-encoded with `encodeURIComponent`, so a space goes as `%20` and a `+` as
 * `%2B`: `URLSearchParams` would send a space as `+`, which only form decoding reads as a space
 * (docs/protocol.md#the-connect-query).
 */
export const socketUrl = (server: string, room: string, name: string, since: number | null) => {
  const url = new URL(server);
  const query: [string, string][] = [
    ...[...url.searchParams].filter(([key]) => key !== 'room' && key !== 'name' && key !== 'since'),
    ['room', room],
    ['name', name],
    ...(since === null ? [] : [['since', String(since)] as [string, string]]),
  ];
  url.search = query
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return url;
};
