import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { WebSocketEvent } from '../../src/router/event.js';

/**
 * Events shaped like the ones API Gateway really sends: `body` and `messageId` only on messages,
 * `headers` and `queryStringParameters` only on `$connect` (and the latter absent, not empty,
 * without a query), `disconnectStatusCode` only on `$disconnect`.
 */
const ROUTE_KEYS = new Set(['sendmessage', 'history']);

const requestContext = (
  connectionId: string,
  routeKey: string,
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT',
  connectedAt: number,
) => ({
  routeKey,
  eventType,
  extendedRequestId: randomUUID(),
  requestTime: new Date().toUTCString(),
  messageDirection: 'IN' as const,
  stage: 'test',
  connectedAt,
  requestTimeEpoch: Date.now(),
  identity: { sourceIp: '127.0.0.1', userAgent: 'vitest' },
  requestId: randomUUID(),
  domainName: 'test.execute-api.us-east-1.amazonaws.com',
  connectionId,
  apiId: 'test',
});

export const connectEvent = (
  connectionId: string,
  query?: Record<string, string>,
  connectedAt = Date.now(),
): WebSocketEvent =>
  ({
    headers: { Host: 'test.execute-api.us-east-1.amazonaws.com', 'Sec-WebSocket-Version': '13' },
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: requestContext(connectionId, '$connect', 'CONNECT', connectedAt),
    isBase64Encoded: false,
  }) as WebSocketEvent;

/** A message frame, routed the way `$request.body.action` selection would route it. */
export const messageEvent = (
  connectionId: string,
  body: string,
  connectedAt = Date.now(),
): WebSocketEvent => {
  let action: unknown;
  try {
    action = (JSON.parse(body) as { action?: unknown })?.action;
  } catch {
    action = undefined;
  }
  const routeKey = typeof action === 'string' && ROUTE_KEYS.has(action) ? action : '$default';
  return {
    requestContext: {
      ...requestContext(connectionId, routeKey, 'MESSAGE', connectedAt),
      messageId: randomUUID(),
    },
    body,
    isBase64Encoded: false,
  } as WebSocketEvent;
};

export const sendFrame = (connectionId: string, frame: Record<string, unknown>) =>
  messageEvent(connectionId, JSON.stringify({ action: 'sendmessage', ...frame }));

export const disconnectEvent = (connectionId: string, connectedAt = Date.now()): WebSocketEvent =>
  ({
    headers: { Host: 'test.execute-api.us-east-1.amazonaws.com' },
    requestContext: {
      ...requestContext(connectionId, '$disconnect', 'DISCONNECT', connectedAt),
      disconnectStatusCode: 1001,
      disconnectReason: 'Going away',
    },
    isBase64Encoded: false,
  }) as WebSocketEvent;

/** A Lambda context with a remaining time the test controls. */
export const lambdaContext = (remainingMs: () => number = () => 28_000): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'chat-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:chat-test',
  memoryLimitInMB: '1024',
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/chat-test',
  logStreamName: 'test',
  getRemainingTimeInMillis: remainingMs,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});
