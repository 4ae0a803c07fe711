/** The error a timed-out invocation fails with, worded like Lambda's. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * A synchronous invocation refused because every container allowed is busy: what the Invoke API
 * answers with 429 and `Reason: ReservedFunctionConcurrentInvocationLimitExceeded`.
 */
export class ThrottledError extends Error {
  override name = 'TooManyRequestsException';
  readonly reason = 'ReservedFunctionConcurrentInvocationLimitExceeded';
  constructor() {
    super('Rate Exceeded.');
  }
}

/** An error the Lambda runtime reports itself (`Runtime.ExitError`, ...), not the handler. */
export class RuntimeError extends Error {
  constructor(errorType: string, message: string) {
    super(message);
    this.name = errorType;
  }
}

/** What Lambda reports when the runtime process ends during an invocation. */
export const exitError = (requestId: string, code: number) =>
  new RuntimeError(
    'Runtime.ExitError',
    code === 0
      ? `RequestId: ${requestId} Error: Runtime exited without providing a reason`
      : `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`,
  );

/** The timeout error for a function timeout of `timeoutMs`. */
export const timeoutError = (timeoutMs: number) =>
  new TimeoutError(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
