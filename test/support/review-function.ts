import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { REVIEW_FUNCTION_NAME } from '../../local/emulator/index.js';
import { createInProcessRuntime, type Handler } from '../../local/emulator/invoke.js';
import { createLambdaApi } from '../../local/emulator/lambda-api.js';
import { loadHandler } from '../../local/emulator/load-handler.js';
import type { FakeAws } from './fake-aws.js';
import { FakeServer } from './fake-server.js';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const FIXTURES = 'test/local/fixtures/review.ts';
/** What `fetch` sets itself, or refuses to be given. */
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'expect']);

/**
 * Lambda's Invoke endpoint for the handler harness's tests of the review hook: the emulator's
 * own Invoke API runs the review module a test picks (`use('policy')`, an export of
 * test/local/fixtures/review.ts) as the function `chat-review`, and every other invocation (the
 * handler's replays and fan-out) goes on to the fake AWS as before. Sets `REVIEW_FUNCTION` and
 * these settings for the handler; call it after `useHandler`, so it sees its environment first.
 */
export const useReviewFunction = (aws: FakeAws, settings: Record<string, string> = {}) => {
  let review: Handler | undefined;
  const runtime = createInProcessRuntime(
    (event, context) => {
      if (!review) throw new Error('no review module picked');
      return review(event, context);
    },
    { functionName: REVIEW_FUNCTION_NAME, region: 'us-east-1', timeoutMs: 10_000 },
  );
  const lambdaApi = createLambdaApi({
    functions: new Map([[REVIEW_FUNCTION_NAME, runtime]]),
    region: 'us-east-1',
    log: { info: () => undefined, error: () => undefined },
  });
  const server = new (class extends FakeServer {
    protected answer(req: IncomingMessage, res: ServerResponse) {
      const name = INVOKE_PATH.exec(req.url ?? '')?.[1];
      const route =
        name && decodeURIComponent(name).endsWith(REVIEW_FUNCTION_NAME)
          ? lambdaApi(req, res, name)
          : forward(req, res, aws.url);
      void route.catch(() => res.destroy());
    }
  })();
  beforeAll(async () => {
    await server.start();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: server.url,
      REVIEW_FUNCTION: REVIEW_FUNCTION_NAME,
      ...settings,
    });
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    review = undefined;
  });
  return {
    /** Reviews with this export of the fixtures module from now on. */
    use: async (exportName: string) => {
      review = await loadHandler(`${FIXTURES}#${exportName}`);
    },
  };
};

/** Passes a request on to `base` as it came, and its answer back. */
const forward = async (req: IncomingMessage, res: ServerResponse, base: string) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = Object.entries(req.headers).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && !HOP_BY_HOP.has(entry[0]),
  );
  const answer = await fetch(new URL(req.url ?? '/', base), {
    method: req.method ?? 'POST',
    headers,
    body: Buffer.concat(chunks),
  });
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  res.end(Buffer.from(await answer.arrayBuffer()));
};
