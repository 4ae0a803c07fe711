import { createSignedPost, type SignedPostOptions } from './signed-post.js';
import { escapeUri } from './sigv4.js';

/** Sends text frames to connected clients through the `@connections` API. */
export interface ConnectionsApi {
  post(connectionId: string, data: string): Promise<void>;
}

/**
 * One per container: signed POSTs to `{callbackUrl}/@connections/{id}` over keep-alive sockets
 * sized to the broadcast's concurrency. No retries here: `postWithRetry` decides per status (it
 * must retry 429, which the SDK's default policy does not, and must not retry a 410).
 */
export const createConnectionsApi = (
  endpoint: string,
  maxSockets: number,
  options: Omit<SignedPostOptions, 'maxSockets'> = {},
): ConnectionsApi => {
  const post = createSignedPost(endpoint, { ...options, maxSockets });
  return {
    // Escaped as the SDK client escapes the `{ConnectionId}` label: ids carry `=`, `+` and `/`.
    post: (connectionId, data) => post(`/@connections/${escapeUri(connectionId)}`, data),
  };
};
