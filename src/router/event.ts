import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';

/**
 * A WebSocket event as API Gateway really sends it. The typings miss what only some routes
 * carry: `headers` and `queryStringParameters` on `$connect` only, `body` and `messageId` on
 * messages only, `disconnectStatusCode` and `disconnectReason` on `$disconnect` only.
 */
export type WebSocketEvent = Omit<APIGatewayProxyWebsocketEventV2, 'body' | 'requestContext'> & {
  body?: string;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
  requestContext: Omit<APIGatewayProxyWebsocketEventV2['requestContext'], 'messageId'> & {
    messageId?: string;
    /** On every route; the typings only have it on `$connect`'s shape. */
    identity?: { sourceIp?: string; userAgent?: string };
    disconnectStatusCode?: number;
    disconnectReason?: string;
  };
};

export const isWebSocketEvent = (event: unknown): event is WebSocketEvent =>
  typeof (event as WebSocketEvent)?.requestContext?.routeKey === 'string';

/** Parses a message body; `undefined` when there is none or it is not JSON. */
export const parseBody = (event: WebSocketEvent): unknown => {
  if (event.body === undefined) return undefined;
  try {
    return JSON.parse(event.body) as unknown;
  } catch {
    return undefined;
  }
};
