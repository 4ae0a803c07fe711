import type { ConnectionsApi } from './connections-api.js';

export type PostResult =
  | { outcome: 'delivered'; attempts: number }
  | { outcome: 'gone'; attempts: number }
  | { outcome: 'failed'; attempts: number; status: number | undefined; error: unknown };

export interface RetryPolicy {
  /** Attempts for 429, 5xx and network errors. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Asked on each 410: whether the connection may still be arriving (its `$connect` has not
   * returned yet), so that the 410 is worth retrying (see `arrivingCheck`). Without it a 410 is
   * final. These waits do not count against `attempts`.
   */
  mayBeArriving?: () => Promise<boolean>;
}

/** The retries of a post to a room member or to the caller, unless a caller says otherwise. */
export const defaultPostPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 50, maxDelayMs: 1_000 };

/** What a failed post means for the caller. */
export type PostFailure = 'gone' | 'retryable' | 'final';

/** Reads the HTTP status the `@connections` API answered, if it answered at all. */
export const statusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;

/** Whether the `@connections` API refused for its rate (429): the account's requests are near. */
export const isThrottledPost = (error: unknown) =>
  statusOf(error) === 429 || (error as { name?: string })?.name === 'LimitExceededException';

export const classifyPostError = (error: unknown): PostFailure => {
  const status = statusOf(error);
  const name = (error as { name?: string })?.name;
  if (status === 410 || name === 'GoneException') return 'gone';
  if (isThrottledPost(error)) return 'retryable';
  // 413 (too large) and 403 (forbidden) will answer the same way again.
  if (status === 413 || status === 403 || status === 400) return 'final';
  if (status !== undefined) return status >= 500 ? 'retryable' : 'final';
  // No status: a network error (reset socket, timeout) may pass; a client misconfiguration will not.
  const code = (error as { code?: string })?.code;
  return code !== undefined || name === 'TimeoutError' ? 'retryable' : 'final';
};

/** Posts one frame, retrying with exponential backoff and full jitter where a retry can help. */
export const postWithRetry = (
  api: ConnectionsApi,
  connectionId: string,
  data: string,
  policy: RetryPolicy = defaultPostPolicy,
): Promise<PostResult> => sendWithRetry(() => api.post(connectionId, data), policy);

/**
 * Sends one `@connections` request (a post, a DELETE), retrying it like a post; `delivered` is
 * any 2xx answer.
 */
export const sendWithRetry = async (
  send: () => Promise<void>,
  policy: RetryPolicy = defaultPostPolicy,
): Promise<PostResult> => {
  let failures = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return { outcome: 'delivered', attempts: attempt };
    } catch (error) {
      const failure = classifyPostError(error);
      const waitForConnect = failure === 'gone' && (await policy.mayBeArriving?.()) === true;
      if (failure === 'gone' && !waitForConnect) return { outcome: 'gone', attempts: attempt };
      if (failure === 'retryable') failures++;
      const canRetry = waitForConnect || (failure === 'retryable' && failures < policy.attempts);
      if (!canRetry) {
        return { outcome: 'failed', attempts: attempt, status: statusOf(error), error };
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
};
