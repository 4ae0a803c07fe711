import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { gatewayId, requestTime } from './ids.js';

/** What API Gateway knows about a connection and repeats in every event's `requestContext`. */
export interface ConnectionFacts {
  connectionId: string;
  /** Epoch ms of the upgrade request; the same value on every event of the connection. */
  connectedAt: number;
  domainName: string;
  stage: string;
  apiId: string;
  identity: { sourceIp: string; userAgent: string };
}

type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

/** The `requestContext` every route gets; keys in the order AWS sends them. */
const requestContext = (facts: ConnectionFacts, routeKey: string, eventType: EventType) => {
  const now = Date.now();
  const requestId = gatewayId();
  return {
    routeKey,
    eventType,
    // AWS sends the same value in both request id fields.
    extendedRequestId: requestId,
    requestTime: requestTime(now),
    messageDirection: 'IN' as const,
    stage: facts.stage,
    connectedAt: facts.connectedAt,
    requestTimeEpoch: now,
    identity: { ...facts.identity },
    requestId,
    domainName: facts.domainName,
    connectionId: facts.connectionId,
    apiId: facts.apiId,
  };
};

/**
 * `$connect`: the only event with `headers` and the query. Header names keep the client's
 * casing; `headers` holds the last value of a repeated header, `multiValueHeaders` all of them;
 * API Gateway adds the `X-Forwarded-*` and `X-Amzn-Trace-Id` headers. Without a query string
 * both query fields are absent (not `{}`, not `null`). There is no `body`.
 */
export const connectEvent = (facts: ConnectionFacts, req: IncomingMessage) => {
  const pairs: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    pairs.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
  }
  pairs.push(
    ['X-Amzn-Trace-Id', `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${traceHex()}`],
    ['X-Forwarded-For', facts.identity.sourceIp],
    ['X-Forwarded-Port', String(req.socket.localPort ?? '')],
    ['X-Forwarded-Proto', 'http'],
  );
  const query = parseQuery(req.url ?? '/');
  return {
    headers: lastValues(pairs),
    multiValueHeaders: allValues(pairs),
    ...(query.length > 0
      ? {
          queryStringParameters: lastValues(query),
          multiValueQueryStringParameters: allValues(query),
        }
      : {}),
    requestContext: requestContext(facts, '$connect', 'CONNECT'),
    isBase64Encoded: false,
  };
};

/** A text frame: `body` (always a string) and `messageId` only here; no headers, no query. */
export const messageEvent = (facts: ConnectionFacts, routeKey: string, body: string) => {
  const { routeKey: key, ...rest } = requestContext(facts, routeKey, 'MESSAGE');
  return {
    requestContext: { routeKey: key, messageId: gatewayId(), ...rest },
    body,
    isBase64Encoded: false,
  };
};

/**
 * `$disconnect`: the close code and reason sit in `requestContext`; no body, no query. (Real
 * traffic shows a few near-empty headers here too; the spec, like Architect, leaves them out.)
 */
export const disconnectEvent = (facts: ConnectionFacts, statusCode: number, reason: string) => {
  const { routeKey, ...rest } = requestContext(facts, '$disconnect', 'DISCONNECT');
  return {
    requestContext: {
      routeKey,
      disconnectStatusCode: statusCode,
      ...rest,
      disconnectReason: reason,
    },
    isBase64Encoded: false,
  };
};

const traceHex = () => randomBytes(12).toString('hex');

/** Query pairs, percent-decoded (a malformed escape is kept as sent). */
const parseQuery = (url: string): [string, string][] => {
  const index = url.indexOf('?');
  if (index === -1) return [];
  const decode = (text: string) => {
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

// Null-prototype records, so a `__proto__` header or query key is just a key.
const lastValues = (pairs: [string, string][]) => {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of pairs) out[key] = value;
  return { ...out };
};

const allValues = (pairs: [string, string][]) => {
  const out: Record<string, string[]> = Object.create(null);
  for (const [key, value] of pairs) out[key] = [...(out[key] ?? []), value];
  return { ...out };
};
