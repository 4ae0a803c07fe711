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
   * returned yet), so that the 410 is worth retrying. Without it a 410 is final.
   */
  mayBeArriving?: () => Promise<boolean>;
}

/** The retries of a post to a room member or to the caller, unless a caller says otherwise. */
export const defaultPostPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 50, maxDelayMs: 1_000 };

/**
 * How long after connecting a 410 may only mean "`$connect` has not returned yet": API Gateway
 * refuses posts until then. Counted from the connection's `connectedAt`; within it, a 410 is
 * retried while the connection's item still exists (`$disconnect` deletes it).
 */
export const CONNECT_GRACE_MS = 5_000;

/**
 * Whether a connection that answered 410 may still be arriving: it connected within the grace
 * and its item is still there. A client that hung up is gone as soon as `$disconnect` has run,
 * so neither a replay nor a broadcast waits out the grace for it.
 */
export const arrivingCheck =
  (
    store: { getConnection: (id: string) => Promise<{ connectedAt: number } | undefined> },
    connectionId: string,
    connectedAt: number,
    now: () => number,
  ) =>
  async () => {
    if (now() >= connectedAt + CONNECT_GRACE_MS) return false;
    const connection = await store.getConnection(connectionId).catch(() => undefined);
    return connection !== undefined && now() < connection.connectedAt + CONNECT_GRACE_MS;
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

/** Posts one frame, retrying with exponential backoff and full jitter where a retry can help. */
export const postWithRetry = async (
  api: ConnectionsApi,
  connectionId: string,
  data: string,
  policy: RetryPolicy = defaultPostPolicy,
): Promise<PostResult> => {
  for (let attempt = 1; ; attempt++) {
    try {
      await api.post(connectionId, data);
      return { outcome: 'delivered', attempts: attempt };
    } catch (error) {
      const failure = classifyPostError(error);
      const waitForConnect = failure === 'gone' && (await policy.mayBeArriving?.()) === true;
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
