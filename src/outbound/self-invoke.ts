import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { FanoutAnswer, FanoutInvoker } from '../protocol/invocations.js';
import type { Connection } from '../store/index.js';

/**
 * Runs a fan-out worker in another invocation of this same function and waits for its report
 * (`InvocationType: RequestResponse`). A worker that failed (its error, a timeout, a crash)
 * throws here, and so does one that has not answered a little after its deadline.
 */
export const createFanoutInvoker = (
  client: LambdaClient,
  functionName: string,
  now: () => number = Date.now,
): FanoutInvoker<Connection> => {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return async (work) => {
    const waitMs = Math.max(0, work.deadline - now()) + ANSWER_GRACE_MS;
    const answer = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: encoder.encode(JSON.stringify({ fanout: work })),
      }),
      { abortSignal: AbortSignal.timeout(waitMs) },
    );
    const payload = answer.Payload ? decoder.decode(answer.Payload) : '';
    if (answer.FunctionError !== undefined) {
      throw Object.assign(new Error(payload.slice(0, 500)), { name: 'FanoutWorkerError' });
    }
    const report = JSON.parse(payload) as Partial<FanoutAnswer<Connection>> | null;
    const counts = ['delivered', 'pruned', 'failed', 'unreached'] as const;
    if (!report || !counts.every((count) => typeof report[count] === 'number')) {
      throw Object.assign(new Error(`not a fan-out report: ${payload.slice(0, 200)}`), {
        name: 'FanoutWorkerError',
      });
    }
    // Whom the worker's prunes removed, and whom it passed by as still arriving; a worker of an
    // older deployment says neither.
    const removed = Array.isArray(report.removed) ? report.removed.filter(isConnection) : [];
    const arriving = typeof report.arriving === 'number' ? report.arriving : 0;
    return { ...(report as FanoutAnswer<Connection>), removed, arriving };
  };
};

const isConnection = (value: unknown): value is Connection => {
  const { connectionId, room, name } = (value ?? {}) as Partial<Connection>;
  return [connectionId, room, name].every((field) => typeof field === 'string');
};

/** How long past its deadline a worker may take to answer: it has stopped posting by then. */
const ANSWER_GRACE_MS = 2_000;

/** One Lambda client per container, for every invocation of this function by itself. */
export const createLambdaClient = () =>
  // The endpoint comes from the SDK's settings: AWS_ENDPOINT_URL_LAMBDA locally.
  new LambdaClient({});
