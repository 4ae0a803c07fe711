import { randomBytes } from 'node:crypto';
import { gatewayId, requestTime } from './ids.js';
import { DEFAULT_ROUTE_KEYS, routeKeyForBody } from './routes.js';

/**
 * The one factory for API Gateway WebSocket events: the emulator, the tests and the benches all
 * build their events here, from plain inputs, so none of them drifts from what AWS sends.
 */

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

/** What the upgrade request said: its headers and query pairs in the order sent. */
export interface ConnectRequest {
  headers: readonly (readonly [string, string])[];
  query: readonly (readonly [string, string])[];
  /** The port and scheme the client reached, for the `X-Forwarded-*` headers. */
  port: number | undefined;
  scheme: 'http' | 'https';
}

/**
 * Facts for a connection made outside the emulator (tests, benches): a client at 127.0.0.1 on
 * stage `test` of a deployed API.
 */
export const connectionFacts = (
  connectionId: string,
  connectedAt = Date.now(),
): ConnectionFacts => ({
  connectionId,
  connectedAt,
  domainName: 'test.execute-api.us-east-1.amazonaws.com',
  stage: 'test',
  apiId: 'test',
  identity: { sourceIp: '127.0.0.1', userAgent: 'vitest' },
});

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
export const connectEvent = (facts: ConnectionFacts, request: ConnectRequest) => {
  const pairs: (readonly [string, string])[] = [
    ...request.headers,
    ['X-Amzn-Trace-Id', `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${traceHex()}`],
    ['X-Forwarded-For', facts.identity.sourceIp],
    ['X-Forwarded-Port', String(request.port ?? '')],
    ['X-Forwarded-Proto', request.scheme],
  ];
  const { query } = request;
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

const DEFAULT_ROUTES: ReadonlySet<string> = new Set(DEFAULT_ROUTE_KEYS);

/**
 * A text frame, routed by `$request.body.action` among `routeKeys`: `body` (always a string) and
 * `messageId` only here; no headers, no query.
 */
export const messageEvent = (
  facts: ConnectionFacts,
  body: string,
  routeKeys: ReadonlySet<string> = DEFAULT_ROUTES,
) => {
  const { routeKey, ...rest } = requestContext(facts, routeKeyForBody(body, routeKeys), 'MESSAGE');
  return {
    requestContext: { routeKey, messageId: gatewayId(), ...rest },
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

// Null-prototype records, so a `__proto__` header or query key is just a key.
const lastValues = (pairs: readonly (readonly [string, string])[]) => {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of pairs) out[key] = value;
  return { ...out };
};

const allValues = (pairs: readonly (readonly [string, string])[]) => {
  const out: Record<string, string[]> = Object.create(null);
  for (const [key, value] of pairs) out[key] = [...(out[key] ?? []), value];
  return { ...out };
};
