import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { createContext } from '../../local/emulator/context.js';
import {
  connectEvent as buildConnect,
  disconnectEvent as buildDisconnect,
  messageEvent as buildMessage,
  connectionFacts,
} from '../../local/emulator/events.js';
import type { WebSocketEvent } from '../../src/router/event.js';

/*
 * The emulator's event factory with test defaults (`connectionFacts`: a client at 127.0.0.1
 * behind API Gateway), so a test names only the connection and what it sends.
 */

interface ConnectOptions {
  connectedAt?: number;
  /** Headers the client sent besides `Host` and `Sec-WebSocket-Version`. */
  headers?: Record<string, string>;
}

/** `$connect` with these query parameters (none: both query fields absent). */
export const connectEvent = (
  connectionId: string,
  query: Record<string, string> = {},
  { connectedAt, headers = {} }: ConnectOptions = {},
): WebSocketEvent => {
  const facts = connectionFacts(connectionId, connectedAt);
  return buildConnect(facts, {
    headers: [
      ['Host', facts.domainName],
      ['Sec-WebSocket-Version', '13'],
      ...Object.entries(headers),
    ],
    query: Object.entries(query),
    port: 443,
    scheme: 'https',
  });
};

/** A message frame, routed the way `$request.body.action` selection routes it. */
export const messageEvent = (
  connectionId: string,
  body: string,
  connectedAt = Date.now(),
): WebSocketEvent => buildMessage(connectionFacts(connectionId, connectedAt), body);

/** A `sendmessage` frame with these fields. */
export const sendFrame = (connectionId: string, frame: Record<string, unknown>) =>
  messageEvent(connectionId, JSON.stringify({ action: 'sendmessage', ...frame }));

/** `$disconnect` of a client that went away (1001). */
export const disconnectEvent = (connectionId: string, connectedAt = Date.now()): WebSocketEvent =>
  buildDisconnect(connectionFacts(connectionId, connectedAt), 1001, 'Going away');

/** A Lambda context 28 s from its deadline, or with a remaining time the test controls. */
export const lambdaContext = (remainingMs?: () => number): Context => {
  const context = createContext({
    functionName: 'chat-test',
    region: 'us-east-1',
    awsRequestId: randomUUID(),
    deadline: Date.now() + 28_000,
  });
  return remainingMs ? { ...context, getRemainingTimeInMillis: remainingMs } : context;
};
