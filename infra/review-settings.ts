/** The message review hook of a deployment: which function reviews, how long it may take, and what then. */
export interface ReviewDeploySettings {
  /** A function's name in the stack's account and Region, or a full function ARN. */
  functionName: string;
  /** `REVIEW_TIMEOUT_MS`; undefined: the function's default (200). */
  timeoutMs: number | undefined;
  /** `REVIEW_FALLBACK`; undefined: the function's default (`allow`). */
  fallback: 'allow' | 'deny' | undefined;
}

/** A Lambda function's name: what `CreateFunction` accepts. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** A full function ARN, with an optional version or alias. */
const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/;
/** The longest wait a review may cost a message: far under the route's 28 s. */
const TIMEOUT_MAX_MS = 10_000;

type Lookup = (contextKey: string, envKey: string) => string | undefined;

/**
 * Resolves the review hook from `-c reviewFunction=` (a function name or a full ARN),
 * `-c reviewTimeoutMs=` (1-10,000) and `-c reviewFallback=allow|deny`, else `CHAT_REVIEW_FUNCTION`,
 * `CHAT_REVIEW_TIMEOUT_MS`, `CHAT_REVIEW_FALLBACK`. No function: no review (the other two are
 * then refused: they would do nothing).
 */
export const resolveReview = (lookup: Lookup): ReviewDeploySettings | undefined => {
  const functionName = lookup('reviewFunction', 'CHAT_REVIEW_FUNCTION');
  const timeout = lookup('reviewTimeoutMs', 'CHAT_REVIEW_TIMEOUT_MS');
  const fallback = lookup('reviewFallback', 'CHAT_REVIEW_FALLBACK');
  if (functionName === undefined) {
    if (timeout !== undefined || fallback !== undefined) {
      throw new Error('reviewTimeoutMs and reviewFallback need reviewFunction: they configure it');
    }
    return undefined;
  }
  if (!FUNCTION_NAME.test(functionName) && !FUNCTION_ARN.test(functionName)) {
    throw new Error(
      `reviewFunction "${functionName}" must be a Lambda function's name (1-64 letters, digits, "-", "_") ` +
        'or its full ARN (arn:aws:lambda:<region>:<account>:function:<name>)',
    );
  }
  const timeoutMs = timeout === undefined ? undefined : Number(timeout);
  const wholeMs = /^\d+$/.test(timeout ?? '') && Number(timeout) >= 1;
  if (timeoutMs !== undefined && !(wholeMs && timeoutMs <= TIMEOUT_MAX_MS)) {
    throw new Error(
      `reviewTimeoutMs "${timeout}" must be a whole number of ms from 1 to ${TIMEOUT_MAX_MS}`,
    );
  }
  if (fallback !== undefined && fallback !== 'allow' && fallback !== 'deny') {
    throw new Error(`reviewFallback "${fallback}" must be "allow" or "deny"`);
  }
  return { functionName, timeoutMs, fallback };
};
