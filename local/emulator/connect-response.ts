import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Outcome } from './invoke.js';

/** What `$connect` decided: accept with extra handshake headers, or refuse with an HTTP answer. */
export type Decision =
  | { accept: true; headers: [string, string][] }
  | { accept: false; status: number; body: string; headers: [string, string][] };

/**
 * A 2xx accepts; another status refuses with that status and body; a throw, a timeout or a
 * malformed status refuses with 502. No result at all (or no `statusCode`) counts as 200.
 */
export const decide = (outcome: Outcome): Decision => {
  const internal = { accept: false as const, status: 502, headers: [] };
  if (!outcome.ok) return { ...internal, body: '{"message": "Internal server error"}' };
  const result = (outcome.result ?? {}) as Record<string, unknown>;
  const status = result.statusCode ?? 200;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    return { ...internal, body: '{"message": "Internal server error"}' };
  }
  const headers = responseHeaders(result);
  if (status < 300) return { accept: true, headers };
  const body = typeof result.body === 'string' ? result.body : '';
  return { accept: false, status, body, headers };
};

/** Headers the handshake may carry; what `ws` or HTTP framing owns is dropped. */
const MANAGED = new Set([
  'connection',
  'upgrade',
  'content-length',
  'transfer-encoding',
  'sec-websocket-accept',
  'sec-websocket-extensions',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const responseHeaders = (result: Record<string, unknown>): [string, string][] => {
  const single = (result.headers ?? {}) as Record<string, unknown>;
  const multi = (result.multiValueHeaders ?? {}) as Record<string, unknown>;
  const pairs: [string, string][] = [
    ...Object.entries(single).map(([name, value]): [string, string] => [name, String(value)]),
    ...Object.entries(multi).flatMap(([name, values]) =>
      (Array.isArray(values) ? values : []).map((value): [string, string] => [name, String(value)]),
    ),
  ];
  return pairs.filter(
    ([name, value]) =>
      TOKEN.test(name) && !MANAGED.has(name.toLowerCase()) && !/[\r\n\0]/.test(value),
  );
};

/** Answers the upgrade request with a plain HTTP response and closes the socket. */
export const refuse = (
  socket: Duplex,
  answer: { status: number; body: string; headers: [string, string][] },
) => {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const hasType = answer.headers.some(([name]) => name.toLowerCase() === 'content-type');
  const type = answer.body.startsWith('{') ? 'application/json' : 'text/plain; charset=utf-8';
  const lines = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}`,
    'Connection: close',
    ...(hasType ? [] : [`Content-Type: ${type}`]),
    `Content-Length: ${Buffer.byteLength(answer.body)}`,
    ...answer.headers.map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${answer.body}`);
};
