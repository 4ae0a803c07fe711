import { describe, expect, it } from 'vitest';
import type { ConnectionsApi } from '../../src/outbound/connections-api.js';
import { postWithRetry, type RetryPolicy } from '../../src/outbound/post-with-retry.js';

type Answer = Error | 'ok';

/** A `@connections` API that gives these answers in turn, then delivers, and counts the posts. */
const answering = (...answers: Answer[]) => {
  let posts = 0;
  const api: ConnectionsApi = {
    post: async () => {
      posts++;
      const answer = answers.shift() ?? 'ok';
      if (answer !== 'ok') throw answer;
    },
    delete: async () => {
      throw new Error('not used here');
    },
  };
  return { api, posts: () => posts };
};

/** An error as the API answers it: an HTTP status in the SDK's `$metadata`. */
const httpError = (status: number) =>
  Object.assign(new Error(`HTTP ${status}`), { $metadata: { httpStatusCode: status } });

/** Three attempts, without waiting long between them. */
const policy = (more: Partial<RetryPolicy> = {}): RetryPolicy => ({
  attempts: 3,
  baseDelayMs: 1,
  maxDelayMs: 2,
  ...more,
});

describe('postWithRetry', () => {
  it('delivers on the first attempt when the API accepts the post', async () => {
    const { api, posts } = answering('ok');
    expect(await postWithRetry(api, 'c-1', 'hi', policy())).toEqual({
      outcome: 'delivered',
      attempts: 1,
    });
    expect(posts()).toBe(1);
  });

  it('gives up on a 410 at once: the connection is gone', async () => {
    const { api, posts } = answering(httpError(410));
    expect(await postWithRetry(api, 'c-1', 'hi', policy())).toEqual({
      outcome: 'gone',
      attempts: 1,
    });
    expect(posts()).toBe(1);
  });

  it('retries a 410 while the connection may still be arriving, past the attempts for other failures', async () => {
    const { api, posts } = answering(httpError(410), httpError(410), httpError(410), 'ok');
    let asked = 0;
    const mayBeArriving = async () => {
      asked++;
      return true;
    };
    expect(await postWithRetry(api, 'c-1', 'hi', policy({ mayBeArriving }))).toEqual({
      outcome: 'delivered',
      attempts: 4,
    });
    expect(posts()).toBe(4);
    expect(asked).toBe(3);
  });

  it('counts only 429, 5xx and network errors against the attempts, not the 410s of a connection still arriving', async () => {
    const { api, posts } = answering(
      httpError(410),
      httpError(410),
      httpError(410),
      httpError(429),
      httpError(429),
      'ok',
    );
    let arriving = 3;
    const mayBeArriving = async () => arriving-- > 0;
    expect(await postWithRetry(api, 'c-1', 'hi', policy({ mayBeArriving }))).toEqual({
      outcome: 'delivered',
      attempts: 6,
    });
    expect(posts()).toBe(6);
  });

  it('reports a 410 as gone once the connection can no longer be arriving', async () => {
    const { api } = answering(httpError(410), httpError(410));
    let arriving = true;
    const mayBeArriving = async () => {
      const answer = arriving;
      arriving = false;
      return answer;
    };
    expect(await postWithRetry(api, 'c-1', 'hi', policy({ mayBeArriving }))).toEqual({
      outcome: 'gone',
      attempts: 2,
    });
  });

  it.each([429, 500, 502, 503])(
    'retries a %i up to the attempts, then fails with the status',
    async (status) => {
      const error = httpError(status);
      const { api, posts } = answering(error, error, error, error);
      expect(await postWithRetry(api, 'c-1', 'hi', policy())).toEqual({
        outcome: 'failed',
        attempts: 3,
        status,
        error,
      });
      expect(posts()).toBe(3);
    },
  );

  it('delivers when a retried 429 passes on a later attempt', async () => {
    const { api } = answering(httpError(429), 'ok');
    expect(await postWithRetry(api, 'c-1', 'hi', policy())).toEqual({
      outcome: 'delivered',
      attempts: 2,
    });
  });

  it.each([400, 403, 413])('fails a %i at once: it would answer the same again', async (status) => {
    const { api, posts } = answering(httpError(status));
    expect(await postWithRetry(api, 'c-1', 'hi', policy())).toMatchObject({
      outcome: 'failed',
      attempts: 1,
      status,
    });
    expect(posts()).toBe(1);
  });

  it('retries a network error that carries a code, which may pass', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { api } = answering(reset, 'ok');
    expect(await postWithRetry(api, 'c-1', 'hi', policy())).toEqual({
      outcome: 'delivered',
      attempts: 2,
    });
  });

  it('fails at once on an error with neither status nor code, without a status', async () => {
    const error = new Error('misconfigured client');
    const { api, posts } = answering(error);
    expect(await postWithRetry(api, 'c-1', 'hi', policy())).toEqual({
      outcome: 'failed',
      attempts: 1,
      status: undefined,
      error,
    });
    expect(posts()).toBe(1);
  });
});
