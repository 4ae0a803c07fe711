import { randomBytes } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** What a context is built from: the function, the invocation's id and its deadline (epoch ms). */
export interface ContextFacts {
  functionName: string;
  region: string;
  awsRequestId: string;
  deadline: number;
}

/** The context the Node.js 24 runtime passes a handler; built where the handler runs. */
export const createContext = ({
  functionName,
  region,
  awsRequestId,
  deadline,
}: ContextFacts): Context => {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    // The Node.js runtime gives the memory size as a string.
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    // Callback-era helpers; the Node.js 24 runtime no longer supports them.
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

const unsupported = () => {
  throw new Error('context.done/fail/succeed are not supported in the Node.js 24 runtime');
};

/** Lambda serializes results as JSON: `undefined` becomes `null`. */
export const roundTrip = (value: unknown): unknown => {
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
};
