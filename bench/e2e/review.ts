/**
 * What the message review hook adds to a message: one sender in a two-member room sends in a
 * closed loop (each message once its own echo came back) through `npm start`'s runtime
 * (containers), on a stack without a review function and on one reviewing every message with a
 * trivial ALLOW module (run in-process by the emulator's Lambda API), alternately, in one run.
 * Run alone: `npx tsx bench/e2e/review.ts [--quick]`.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { REVIEW_FUNCTION_NAME } from '../../local/emulator/index.js';
import { createReviewer } from '../../src/outbound/review.js';
import { printTable, round, summarize } from '../stats.js';
import { type Crowd, startCrowd } from './crowd.js';
import { BENCH_ENV, measureRooms, withBenchStack } from './servers.js';
import { warmDynamo } from './warm-dynamo.js';

const ALLOW_MODULE = `${fileURLToPath(new URL('./review-allow.ts', import.meta.url))}#allow`;

interface Samples {
  ackMs: number[];
  handlerMs: number[];
  /** The review's own round trip, invoked from here as the handler invokes it. */
  invokeMs: number[];
  failed: number;
}

/** One stack's sends: a warm-up, then `durationMs` of closed-loop sends, measured. */
const measure = (
  crowd: Crowd,
  dynamoEndpoint: string,
  {
    review,
    round: n,
    durationMs,
    invokes,
  }: { review: boolean; round: number; durationMs: number; invokes: number },
): Promise<Samples> =>
  withBenchStack(
    {
      handler: 'chat',
      tableName: `review-${review ? 'on' : 'off'}-${n}`,
      runtime: 'containers',
      dynamoEndpoint,
      // The join's coalesced presence update is all that waits on the interval: nothing of a send.
      env: { ...BENCH_ENV, OCCUPANCY_INTERVAL_MS: '500' },
      ...(review ? { review: ALLOW_MODULE } : {}),
    },
    async (stack, container) => {
      const group = `review-${review ? 'on' : 'off'}-${n}`;
      const target = {
        name: 'chat',
        wsUrl: stack.wsUrl,
        join: { batch: 2, perSecond: 100, awaitReplay: true },
        container,
      } as const;
      const send = (ms: number, idPrefix: string) =>
        crowd.ask('throughput', {
          group,
          sendersPerRoom: 1,
          durationMs: ms,
          drainMs: 10_000,
          idPrefix,
        });
      const { result, handler = container.snapshot() } = await measureRooms(
        crowd,
        target,
        { group, rooms: [{ room: 'reviewed', count: 2 }] },
        () => send(durationMs, 'measured-'),
        // Ids of their own: a repeated id would be answered from the log, unreviewed.
        () => send(Math.min(durationMs, 1_000), 'warm-up-'),
      );
      return {
        ackMs: result.ackMs,
        handlerMs: handler.durations.sendmessage ?? [],
        invokeMs: review ? await timeReviews(invokes) : [],
        failed: result.failed,
      };
    },
  );

/**
 * The review's cost per message, p50 and p99 of the sender's wait for its echo (`ack`) and of
 * the handler's invocation, without and with the review; the rounds alternate the two stacks so
 * that neither gains by coming later on a warmer machine.
 */
export const benchReview = async ({ quick = false }: { quick?: boolean } = {}) => {
  const rounds = quick ? 1 : 2;
  const durationMs = quick ? 1_000 : 8_000;
  const invokes = quick ? 20 : 300;
  const dynamo = await startDynamoDbLocal();
  await warmDynamo(dynamo.endpoint, quick ? 300 : 1_500);
  const crowd = startCrowd();
  const pooled = { off: empty(), on: empty() };
  try {
    for (let n = 0; n < rounds; n++) {
      for (const review of [false, true]) {
        const samples = await measure(crowd, dynamo.endpoint, {
          review,
          round: n,
          durationMs,
          invokes,
        });
        const into = pooled[review ? 'on' : 'off'];
        into.ackMs.push(...samples.ackMs);
        into.handlerMs.push(...samples.handlerMs);
        into.invokeMs.push(...samples.invokeMs);
        into.failed += samples.failed;
      }
    }
  } finally {
    crowd.stop();
    await dynamo.stop();
  }
  const off = figures(pooled.off);
  const on = figures(pooled.on);
  const invoke = summarize(pooled.on.invokeMs);
  const added = {
    ackP50: round(on.ack.p50 - off.ack.p50, 1),
    ackP99: round(on.ack.p99 - off.ack.p99, 1),
    handlerP50: round(on.handler.p50 - off.handler.p50, 1),
    handlerP99: round(on.handler.p99 - off.handler.p99, 1),
  };
  const row = (name: string, f: ReturnType<typeof figures>) => ({
    review: name,
    messages: f.ack.count,
    failed: f.failed,
    'ack p50 ms': f.ack.p50,
    'ack p99 ms': f.ack.p99,
    'handler p50 ms': f.handler.p50,
    'handler p99 ms': f.handler.p99,
  });
  printTable(
    `Review hook: one sender, closed loop, ${rounds} x ${durationMs / 1000} s per side, alternating`,
    [
      row('none', off),
      row('ALLOW module', on),
      {
        review: 'added',
        messages: '',
        failed: '',
        'ack p50 ms': added.ackP50,
        'ack p99 ms': added.ackP99,
        'handler p50 ms': added.handlerP50,
        'handler p99 ms': added.handlerP99,
      },
    ],
  );
  console.log(
    `the review's own Invoke round trip (${invoke.count}, from the bench process): ` +
      `p50 ${invoke.p50} ms, p99 ${invoke.p99} ms`,
  );
  return { rounds, durationMs, off, on, added, invoke };
};

/** Times `count` reviews one after another, through the SDK and the emulator's Lambda API. */
const timeReviews = async (count: number) => {
  // The emulator pointed the Lambda endpoint of this process at itself.
  const client = new LambdaClient({});
  const review = createReviewer(client, {
    functionName: REVIEW_FUNCTION_NAME,
    timeoutMs: 5_000,
    fallback: 'deny',
  });
  const request = { action: 'sendmessage', room: 'r', userId: 'u', name: 'n', text: 'hi' } as const;
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const began = performance.now();
      const verdict = await review(request, () => undefined);
      if (verdict.result !== 'ALLOW') throw new Error(`the review answered ${verdict.result}`);
      times.push(performance.now() - began);
    }
  } finally {
    client.destroy();
  }
  return times;
};

const empty = (): Samples => ({ ackMs: [], handlerMs: [], invokeMs: [], failed: 0 });

const figures = ({ ackMs, handlerMs, failed }: Samples) => ({
  ack: summarize(ackMs),
  handler: summarize(handlerMs),
  failed,
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchReview({ quick: process.argv.includes('--quick') });
}
