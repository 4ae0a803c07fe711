import { percentile, round } from '../stats.js';
import type { ContainerSnapshot } from './container.js';
import { costLines } from './cost.js';
import type { CrowdAnswer } from './crowd.js';

/** Batching off (`BATCH_WINDOW_MS=0`) or on (the default window). */
export type Side = 'today' | 'batched';

const p = (samples: number[], at: number) =>
  round(
    percentile(
      samples.toSorted((a, b) => a - b),
      at,
    ),
    1,
  );

const invocationsOf = (handler: ContainerSnapshot) =>
  Object.values(handler.durations).reduce((sum, ms) => sum + ms.length, 0);

const lambdaMsOf = (handler: ContainerSnapshot) =>
  Object.values(handler.durations).reduce(
    (sum, ms) => sum + ms.reduce((all, one) => all + one, 0),
    0,
  );

/**
 * The busy room's figures on one side. Frames are the message-carrying frames the members
 * received (acknowledgements included): per member per message, and per member other than the
 * author (the acknowledgements taken out), which is what a message costs each other member. Posts
 * are the `@connections` posts the handler made (counted in its poster); posts a second over the
 * whole run, from the first send to the last delivery. Lambda is billed for every invocation's
 * whole time, a deliverer's waits between rounds included.
 */
export const busyFigures = ({
  result,
  handler,
}: {
  result: CrowdAnswer<'paced'>;
  handler: ContainerSnapshot;
}) => {
  const accepted = Math.max(1, result.accepted);
  const offered = result.sent / result.sendSeconds;
  const posts = handler.posts / accepted;
  const invocations = invocationsOf(handler) / accepted;
  const lambdaMs = lambdaMsOf(handler) / accepted;
  const cost = costLines({ messages: accepted, handler, lambdaMs, invocations });
  return {
    'offered msgs/s': round(offered, 1),
    sent: result.sent,
    accepted: result.accepted,
    errors: Object.values(result.errors).reduce((sum, n) => sum + n, 0),
    missing: result.missing,
    duplicates: result.duplicates,
    'frames/member/msg': round(result.frames / (result.members * accepted), 3),
    'frames/other member/msg': round(
      (result.frames - result.accepted) / ((result.members - 1) * accepted),
      3,
    ),
    posts: handler.posts,
    'posts/msg': round(posts, 2),
    'posts/s': round(handler.posts / result.totalSeconds, 0),
    'posts/s at the offered rate': round(posts * offered, 0),
    'p50 ms': p(result.deliveryMs, 50),
    'p95 ms': p(result.deliveryMs, 95),
    'ack p50 ms': p(result.ackMs, 50),
    's to last delivery': round(result.totalSeconds, 1),
    'DynamoDB requests/msg': round(
      Object.values(handler.commands.calls).reduce((sum, n) => sum + n, 0) / accepted,
      2,
    ),
    'DynamoDB WRU/msg': round(cost.wru, 2),
    'Lambda requests/msg': round(invocations, 2),
    'Lambda ms/msg': round(lambdaMs, 1),
    'API Gateway $/M msgs': cost.rows[0]?.['$ per million messages'] ?? Number.NaN,
    '$/M msgs': cost.total,
  };
};

/**
 * The quiet room's figures on one side: ms from a send until the last member had it (p50 the
 * goal's figure), until the first other member had it, and the author's acknowledgement.
 */
export const quietFigures = ({
  result,
  handler,
}: {
  result: CrowdAnswer<'fanout'>;
  handler: ContainerSnapshot;
}) => {
  const messages = Math.max(1, result.last.length);
  const { wru } = costLines({ messages, handler, lambdaMs: 0, invocations: 1 });
  return {
    messages: result.last.length,
    'p50 ms': p(result.last, 50),
    'p95 ms': p(result.last, 95),
    'first member p50 ms': p(result.first, 50),
    'ack p50 ms': p(result.ack, 50),
    'posts/msg': round(handler.posts / messages, 2),
    'DynamoDB WRU/msg': round(wru, 2),
    'handler p50 ms': p(handler.durations.sendmessage ?? [], 50),
    missing: result.missing,
  };
};

/** A figure a row, the two sides in columns, and batched ÷ today where both are numbers. */
export const sideBySide = <F extends Record<string, number>>(sides: Record<Side, F>) =>
  Object.keys(sides.today).map((figure) => {
    const today = sides.today[figure] as number;
    const batched = sides.batched[figure] as number;
    return {
      figure,
      today,
      batched,
      'batched / today': today > 0 && Number.isFinite(batched) ? round(batched / today, 3) : '-',
    };
  });
