import { type ConnectionsApi, classifyPostError, statusOf } from './connections-api.js';

export type PostResult =
  | { outcome: 'delivered'; attempts: number }
  | { outcome: 'gone'; attempts: number }
  | { outcome: 'failed'; attempts: number; status: number | undefined; error: unknown };

export interface RetryPolicy {
  /** Attempts for 429, 5xx and network errors. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Keep retrying 410 until this epoch ms: a connection whose `$connect` has not returned yet. */
  retryGoneUntil?: number;
}

export const broadcastPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 50, maxDelayMs: 1_000 };

/**
 * How long after connecting a 410 may only mean "`$connect` has not returned yet": API Gateway
 * refuses posts until then. The replay waits this long, and a broadcast does not prune a member
 * this new.
 */
export const CONNECT_GRACE_MS = 5_000;

/** Posts one frame, retrying with exponential backoff and full jitter where a retry can help. */
export const postWithRetry = async (
  api: ConnectionsApi,
  connectionId: string,
  data: string,
  policy: RetryPolicy = broadcastPolicy,
): Promise<PostResult> => {
  for (let attempt = 1; ; attempt++) {
    try {
      await api.post(connectionId, data);
      return { outcome: 'delivered', attempts: attempt };
    } catch (error) {
      const failure = classifyPostError(error);
      const waitForConnect = failure === 'gone' && Date.now() < (policy.retryGoneUntil ?? 0);
      if (failure === 'gone' && !waitForConnect) return { outcome: 'gone', attempts: attempt };
      const canRetry = waitForConnect || (failure === 'retryable' && attempt < policy.attempts);
      if (!canRetry) {
        return { outcome: 'failed', attempts: attempt, status: statusOf(error), error };
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
};
