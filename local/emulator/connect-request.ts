import type { IncomingMessage } from 'node:http';
import type { ConnectRequest } from './events.js';

/** What `$connect` needs from an upgrade request: raw header pairs (client casing) and the query. */
export const connectRequest = (req: IncomingMessage): ConnectRequest => {
  const headers: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
  }
  return {
    headers,
    query: parseQuery(req.url ?? '/'),
    port: req.socket.localPort,
    scheme: 'http',
  };
};

/**
 * Query pairs, decoded as API Gateway decodes them: a `+` is a space (form encoding, which
 * `URLSearchParams` writes), then percent escapes, so a literal plus arrives only as `%2B`
 * (docs/protocol.md#the-connect-query). A malformed escape is kept as sent.
 */
const parseQuery = (url: string): [string, string][] => {
  const index = url.indexOf('?');
  if (index === -1) return [];
  const decode = (sent: string) => {
    const text = sent.replaceAll('+', ' ');
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return url
    .slice(index + 1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq === -1
        ? [decode(part), '']
        : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
    });
};
