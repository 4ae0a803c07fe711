import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ReplayRequest } from '../routes/replay.js';

/** Starts a replay by invoking this same function asynchronously (`InvocationType: Event`). */
export type ReplayInvoker = (request: ReplayRequest) => Promise<void>;

export const createReplayInvoker = (functionName: string): ReplayInvoker => {
  // The endpoint comes from the SDK's settings: AWS_ENDPOINT_URL_LAMBDA locally.
  const client = new LambdaClient({});
  const encoder = new TextEncoder();
  return async (request) => {
    await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: encoder.encode(JSON.stringify(request)),
      }),
    );
  };
};
