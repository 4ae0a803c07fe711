import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { startEmulator } from '../fixtures/emulator.js';
import { recorder } from '../fixtures/recorder.js';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));

/** A Lambda client configured only by the environment the emulator set, as the handler's is. */
const lambdaClient = () => {
  const client = new LambdaClient({ maxAttempts: 1 });
  onTestFinished(() => client.destroy());
  return client;
};

describe('Lambda Invoke endpoint', () => {
  it('answers an asynchronous Invoke from the real SDK with 202 and runs the handler with the payload', async () => {
    const rec = recorder(() => 'ignored');
    await startEmulator(rec.handler, { functionName: 'chat-test' });
    const payload = { replay: { connectionId: 'Ab1CdEFGhIJkLmN=', room: 'general', since: 41 } };
    const answer = await lambdaClient().send(
      new InvokeCommand({
        FunctionName: 'chat-test',
        InvocationType: 'Event',
        Payload: encode(payload),
      }),
    );
    expect(answer.StatusCode).toBe(202);
    expect(answer.Payload?.length ?? 0).toBe(0);
    await vi.waitFor(() => expect(rec.calls).toHaveLength(1));
    expect(rec.calls[0]?.event).toEqual(payload);
    expect(rec.calls[0]?.context.functionName).toBe('chat-test');
  });

  it('logs an asynchronous invocation that fails', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onTestFinished(() => errors.mockRestore());
    await startEmulator(async () => {
      throw new Error('replay exploded');
    });
    await lambdaClient().send(
      new InvokeCommand({
        FunctionName: 'chat-local',
        InvocationType: 'Event',
        Payload: encode({}),
      }),
    );
    await vi.waitFor(() => expect(errors).toHaveBeenCalled());
    expect(String(errors.mock.calls[0]?.[0])).toContain('async invoke of chat-local failed');
    expect(String(errors.mock.calls[0]?.[1])).toContain('replay exploded');
  });

  it('answers a RequestResponse Invoke with the result, or the error as Lambda reports it', async () => {
    await startEmulator(async (event: { fail?: boolean; n: number }) => {
      if (event.fail) throw new TypeError('asked to fail');
      return { doubled: event.n * 2 };
    });
    const client = lambdaClient();
    const ok = await client.send(
      new InvokeCommand({ FunctionName: 'chat-local', Payload: encode({ n: 21 }) }),
    );
    expect(ok.StatusCode).toBe(200);
    expect(ok.FunctionError).toBeUndefined();
    expect(decode(ok.Payload)).toEqual({ doubled: 42 });
    const failed = await client.send(
      new InvokeCommand({ FunctionName: 'chat-local', Payload: encode({ fail: true, n: 1 }) }),
    );
    expect(failed.FunctionError).toBe('Unhandled');
    expect(decode(failed.Payload)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'asked to fail',
    });
  });

  it('accepts the function by ARN and refuses other functions with ResourceNotFoundException', async () => {
    const rec = recorder(() => 'yes');
    await startEmulator(rec.handler, { functionName: 'chat-local' });
    const client = lambdaClient();
    const byArn = await client.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:chat-local',
        Payload: encode({}),
      }),
    );
    expect(decode(byArn.Payload)).toBe('yes');
    const other = client.send(
      new InvokeCommand({ FunctionName: 'someone-else', Payload: encode({}) }),
    );
    await expect(other).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(rec.calls).toHaveLength(1);
  });

  it('runs a review module as the function chat-review beside the handler, and tells the handler its name', async () => {
    const rec = recorder(() => process.env.REVIEW_FUNCTION ?? 'none');
    await startEmulator(rec.handler, { review: 'test/local/fixtures/review.ts#policy' });
    const client = lambdaClient();
    const review = async (text: string) => {
      const answer = await client.send(
        new InvokeCommand({
          FunctionName: 'chat-review',
          Payload: encode({ action: 'sendmessage', room: 'r', userId: 'u', name: 'n', text }),
        }),
      );
      expect(answer.FunctionError).toBeUndefined();
      return decode(answer.Payload);
    };
    expect(await review('hello')).toEqual({ result: 'ALLOW' });
    expect(await review('spam')).toEqual({ result: 'DENY', reason: 'no spam in this room' });
    const told = await client.send(new InvokeCommand({ FunctionName: 'chat-local' }));
    expect(decode(told.Payload)).toBe('chat-review');
    // The review function is not the handler: the handler saw only its own invocation.
    expect(rec.calls).toHaveLength(1);
  });

  it('reports a review module that throws as the function’s error, as Lambda does', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onTestFinished(() => errors.mockRestore());
    await startEmulator(recorder().handler, { review: 'test/local/fixtures/review.ts#fail' });
    const failed = await lambdaClient().send(
      new InvokeCommand({ FunctionName: 'chat-review', Payload: encode({ text: 'x' }) }),
    );
    expect(failed.FunctionError).toBe('Unhandled');
    expect(decode(failed.Payload)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'review exploded',
    });
  });

  it('gives the handler no REVIEW_FUNCTION without a review module, even after an emulator that had one', async () => {
    process.env.REVIEW_FUNCTION = 'left-over';
    const rec = recorder(() => process.env.REVIEW_FUNCTION ?? 'none');
    await startEmulator(rec.handler);
    const client = lambdaClient();
    const told = await client.send(new InvokeCommand({ FunctionName: 'chat-local' }));
    expect(decode(told.Payload)).toBe('none');
    const review = client.send(new InvokeCommand({ FunctionName: 'chat-review' }));
    await expect(review).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
