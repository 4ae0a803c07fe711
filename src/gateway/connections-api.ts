import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Sends text frames to connected clients through the `@connections` API. */
export interface ConnectionsApi {
  post(connectionId: string, data: string): Promise<void>;
}

/**
 * One client per container, keep-alive sockets sized to the broadcast's concurrency. The SDK's
 * own retries are off: `postWithRetry` decides per status (it must retry 429, which the SDK's
 * default policy does not, and must not retry 410 during a broadcast).
 */
export const createConnectionsApi = (endpoint: string, maxSockets: number): ConnectionsApi => {
  const agentOptions = { keepAlive: true, maxSockets };
  const client = new ApiGatewayManagementApiClient({
    endpoint,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: 3_000,
      // A post stuck for 5 s fails (and is retried) rather than holding a broadcast slot.
      requestTimeout: 5_000,
      throwOnRequestTimeout: true,
    }),
  });
  const encoder = new TextEncoder();
  return {
    post: async (connectionId, data) => {
      await client.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: encoder.encode(data) }),
      );
    },
  };
};

/** What a failed post means for the caller. */
export type PostFailure = 'gone' | 'retryable' | 'final';

/** Reads the HTTP status the `@connections` API answered, if it answered at all. */
export const statusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;

export const classifyPostError = (error: unknown): PostFailure => {
  const status = statusOf(error);
  const name = (error as { name?: string })?.name;
  if (status === 410 || name === 'GoneException') return 'gone';
  if (status === 429 || name === 'LimitExceededException') return 'retryable';
  // 413 (too large) and 403 (forbidden) will answer the same way again.
  if (status === 413 || status === 403 || status === 400) return 'final';
  if (status !== undefined) return status >= 500 ? 'retryable' : 'final';
  // No status: a network error (reset socket, timeout) may pass; a client misconfiguration will not.
  const code = (error as { code?: string })?.code;
  return code !== undefined || name === 'TimeoutError' ? 'retryable' : 'final';
};
