/** How the message review hook is configured (see `createReviewer`); absent: no review at all. */
export interface ReviewSettings {
  /** The review function: a Lambda function's name, or its full or partial ARN. */
  functionName: string;
  /** How long a review may take before the fallback decides instead. */
  timeoutMs: number;
  /** What decides when the function does not: its answer came late, failed or made no sense. */
  fallback: 'allow' | 'deny';
}

/** `REVIEW_TIMEOUT_MS` when unset: a review costs a sender at most this much of a wait. */
export const REVIEW_TIMEOUT_DEFAULT_MS = 200;

/**
 * `REVIEW_FUNCTION`, `REVIEW_TIMEOUT_MS` (a whole number of ms, default 200) and
 * `REVIEW_FALLBACK` (`allow`, the default, or `deny`). A fallback of any other value is an error
 * rather than a guess: a typo must not quietly let through what an operator meant to hold back.
 */
export const readReviewSettings = (env: NodeJS.ProcessEnv): ReviewSettings | undefined => {
  const functionName = env.REVIEW_FUNCTION?.trim();
  if (!functionName) return undefined;
  const timeout = Number(env.REVIEW_TIMEOUT_MS?.trim() || REVIEW_TIMEOUT_DEFAULT_MS);
  const fallback = env.REVIEW_FALLBACK?.trim().toLowerCase() || 'allow';
  if (fallback !== 'allow' && fallback !== 'deny') {
    throw new Error(`REVIEW_FALLBACK must be "allow" or "deny", not ${JSON.stringify(fallback)}`);
  }
  return {
    functionName,
    timeoutMs: Number.isInteger(timeout) && timeout > 0 ? timeout : REVIEW_TIMEOUT_DEFAULT_MS,
    fallback,
  };
};
