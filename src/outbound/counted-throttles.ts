import type { ConnectionsApi } from './connections-api.js';
import { isThrottledPost } from './post-with-retry.js';

/**
 * The `@connections` API, telling `onThrottle` of each 429 it answers: the account's shared
 * request rate is near, long before posts fail (each is retried).
 */
export const countingThrottles = (api: ConnectionsApi, onThrottle: () => void): ConnectionsApi => {
  const counted = (error: unknown): never => {
    if (isThrottledPost(error)) onThrottle();
    throw error;
  };
  return {
    post: (connectionId, data) => api.post(connectionId, data).catch(counted),
    delete: (connectionId) => api.delete(connectionId).catch(counted),
  };
};
