import { createSignedPost } from './signed-post.js';

/** Sends text frames to connected clients through the `@connections` API. */
export interface ConnectionsApi {
  post(connectionId: string, data: string): Promise<void>;
}

/**
 * One per container: signed POSTs to `{callbackUrl}/@connections/{id}` over keep-alive sockets
 * sized to the broadcast's concurrency. No retries here: `postWithRetry` decides per status (it
 * must retry 429, which the SDK's default policy does not, and must not retry a 410).
 */
export const createConnectionsApi = (endpoint: string, maxSockets: number): ConnectionsApi => {
  const post = createSignedPost(endpoint, { maxSockets });
  return {
    // Encoded as the SDK encodes it: ids carry `=`, `+` and `/`.
    post: (connectionId, data) => post(`/@connections/${encodeURIComponent(connectionId)}`, data),
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
