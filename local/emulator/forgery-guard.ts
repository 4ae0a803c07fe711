import type { IncomingMessage } from 'node:http';

/** An AWS-style refusal: status, `x-amzn-ErrorType` and message. */
export interface Forgery {
  status: 403;
  errorType: string;
  message: string;
}

/**
 * Whether a request to the Lambda `Invoke` or `@connections` endpoint could have come from a web
 * page, which any site the developer visits can send cross-site (a `text/plain` POST needs no CORS
 * preflight). The SDK, and `src/outbound/signed-post.ts`, always sign with SigV4, and a page cannot
 * set `Authorization` without a preflight, which this emulator never grants; nor do they send
 * `Origin`, which browsers add to every POST. The signature itself is not verified: what keeps
 * other machines out is `caller-guard.ts`.
 */
export const browserForgery = (req: IncomingMessage): Forgery | undefined => {
  if (req.headers.origin !== undefined) {
    return {
      status: 403,
      errorType: 'AccessDeniedException',
      message: `Refused: a request from a web page (Origin: ${req.headers.origin}). This endpoint is for the AWS SDK only.`,
    };
  }
  if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
    return {
      status: 403,
      errorType: 'MissingAuthenticationTokenException',
      message:
        'Refused: sign the request with SigV4 (Authorization: AWS4-HMAC-SHA256 ...), as the AWS SDK does.',
    };
  }
  return undefined;
};
