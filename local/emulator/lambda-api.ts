import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendAws, sendAwsError } from './http.js';
import { type Runtime, ThrottledError } from './invoke.js';
import type { Log } from './log.js';

/** Lambda's limit on a synchronous request payload; asynchronous ones are not limited here. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** What the Invoke endpoint needs: the functions it answers to, by name, and their runtimes. */
export interface LambdaApiOptions {
  functions: ReadonlyMap<string, Runtime>;
  region: string;
  log: Log;
}

/**
 * Lambda's `Invoke` (`POST /2015-03-31/functions/{name}/invocations`) for the functions the
 * emulator runs (the handler, and the review function when there is one), so the handler can
 * invoke itself and them through the real SDK. `Event` answers 202 at
 * once and runs the handler afterwards (when a container is free); `RequestResponse` answers 200
 * with the result, or with `X-Amz-Function-Error: Unhandled` and the error, or 429
 * `TooManyRequestsException` when every container is busy; `DryRun` answers 204.
 */
export const createLambdaApi =
  ({ functions, region, log }: LambdaApiOptions) =>
  async (req: IncomingMessage, res: ServerResponse, encodedName: string) => {
    const name = functionNameOf(encodedName);
    const runtime = functions.get(name);
    if (!runtime) {
      const arn = `arn:aws:lambda:${region}:000000000000:function:${name}`;
      const known = [...functions.keys()].map((known) => `"${known}"`).join(', ');
      sendAwsError(res, 404, 'ResourceNotFoundException', {
        Type: 'User',
        Message: `Function not found: ${arn} (this emulator runs only ${known})`,
      });
      return;
    }
    const body = await readBody(req, MAX_PAYLOAD_BYTES);
    if (body === undefined) {
      sendAwsError(res, 413, 'RequestTooLargeException', {
        Type: 'User',
        message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      });
      return;
    }
    let event: unknown;
    try {
      event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (error) {
      sendAwsError(res, 400, 'InvalidRequestContentException', {
        Type: 'User',
        message: `Could not parse request body into json: ${String(error)}`,
      });
      return;
    }
    const type = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (type === 'DryRun') {
      res.writeHead(204).end();
    } else if (type === 'Event') {
      // Accepted even when every container is busy: Lambda queues the event and retries it.
      sendAws(res, 202);
      const outcome = await runtime.invoke(event, 'async');
      if (outcome.ok) log.info(`async invoke of ${name} ok`);
      else log.error(`async invoke of ${name} failed:`, outcome.error);
    } else if (type === 'RequestResponse') {
      const outcome = await runtime.invoke(event, 'sync');
      if (!outcome.ok && outcome.error instanceof ThrottledError) {
        log.info(`invoke of ${name} -> 429 TooManyRequestsException`);
        sendAwsError(res, 429, 'TooManyRequestsException', {
          Reason: outcome.error.reason,
          Type: 'User',
          message: outcome.error.message,
        });
        return;
      }
      if (outcome.ok) {
        sendAws(res, 200, outcome.result, { 'X-Amz-Executed-Version': '$LATEST' });
        return;
      }
      log.error(`invoke of ${name} failed:`, outcome.error);
      sendAws(res, 200, lambdaError(outcome.error), {
        'X-Amz-Executed-Version': '$LATEST',
        'X-Amz-Function-Error': 'Unhandled',
      });
    } else {
      sendAwsError(res, 400, 'InvalidParameterValueException', {
        Type: 'User',
        message: `Unsupported invocation type: ${String(type)}`,
      });
    }
  };

/** The function name in a name, a partial or full ARN, with or without a qualifier. */
const functionNameOf = (encoded: string) => {
  let name = encoded;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    // Keep it as sent; it will not match.
  }
  const parts = name.split(':');
  if (name.startsWith('arn:')) return parts[6] ?? '';
  if (parts.length === 3 && parts[1] === 'function') return parts[2] ?? '';
  return parts[0] ?? '';
};

/** The error payload Lambda returns for an unhandled error. */
const lambdaError = (error: Error) => ({
  errorType: error.name,
  errorMessage: error.message,
  trace: (error.stack ?? '').split('\n'),
});
