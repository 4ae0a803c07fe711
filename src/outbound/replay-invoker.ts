import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ReplayRequest } from '../protocol/invocations.js';

/** Starts a replay by invoking this same function asynchronously (`InvocationType: Event`). */
export type ReplayInvoker = (request: ReplayRequest) => Promise<void>;

export const createReplayInvoker = (client: LambdaClient, functionName: string): ReplayInvoker => {
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
