import { createSignedRequests, type SignedRequestOptions } from './signed-post.js';
import { escapeUri } from './sigv4.js';

/** Reaches connected clients through the `@connections` API. */
export interface ConnectionsApi {
  /** Sends a text frame (`PostToConnectionCommand`). */
  post(connectionId: string, data: string): Promise<void>;
  /** Closes the connection (`DeleteConnectionCommand`); a 410 means it was closed already. */
  delete(connectionId: string): Promise<void>;
}

/**
 * One per container: signed requests to `{callbackUrl}/@connections/{id}` over keep-alive sockets
 * sized to the broadcast's concurrency. No retries here: `postWithRetry` decides per status (it
 * must retry 429, which the SDK's default policy does not, and must not retry a 410).
 */
export const createConnectionsApi = (
  endpoint: string,
  maxSockets: number,
  options: Omit<SignedRequestOptions, 'maxSockets'> = {},
): ConnectionsApi => {
  const requests = createSignedRequests(endpoint, { ...options, maxSockets });
  // Escaped as the SDK client escapes the `{ConnectionId}` label: ids carry `=`, `+` and `/`.
  const pathOf = (connectionId: string) => `/@connections/${escapeUri(connectionId)}`;
  return {
    post: (connectionId, data) => requests.post(pathOf(connectionId), data),
    delete: (connectionId) => requests.delete(pathOf(connectionId)),
  };
};
