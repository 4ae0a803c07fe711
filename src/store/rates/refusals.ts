import type { TableRef } from '../dynamo/client.js';
import { conditionalUpdate } from '../dynamo/conditional.js';
import { connectionKey } from '../dynamo/keys.js';
import { REFUSED, type RefusalWindows, UNTIL } from './refusal-windows.js';

/**
 * What a refused frame comes to: `told` opened its connection's refusal window (answer it),
 * `quiet` fell in an open one (say nothing), `cut` brought the window's count of refused frames
 * to the rule's limit (disconnect), `unknown` found no connection.
 */
export type RefusalVerdict = 'told' | 'quiet' | 'cut' | 'unknown';

export interface RefusalRule {
  /** How long a window lasts from the refusal that opens it. */
  windowMs: number;
  /**
   * May open a window, to be answered. A quiet refusal (a frame never answered) only counts, and
   * opens a window (answering nobody in it) only to add a batch to its count.
   */
  loud: boolean;
  /** Counts towards `cutAt`: a refusal by the connection's own budgets, not its network's. */
  counts: boolean;
  /** Refused frames within one window that cut the connection off; absent: never. */
  cutAt?: number | undefined;
  /** Refusals a container keeps before adding them to the window's count in the table. */
  batch: number;
}

/**
 * Records a refused frame on its connection item, in as few writes as the rule allows. The first
 * refusal of a window opens it with a conditional write that only one container can win, so one
 * refusal per window is answered whichever container it reaches; every other container learns
 * the window from the write it lost (or from the refused charge, see `admit`) and stays quiet
 * until it ends. Refusals are counted per container and added to the window's count a batch at
 * a time: a flood costs a write per batch, and the one addition that takes the count to `cutAt`
 * is the only one to see it cross, so a connection is cut off exactly once.
 */
export const recordRefusal = async (
  { windows, ...deps }: TableRef & { windows: RefusalWindows },
  connectionId: string,
  rule: RefusalRule,
  now: number,
): Promise<RefusalVerdict> => {
  let window = windows.at(connectionId, now);
  if (rule.counts) window.pending += 1;
  const { cutAt } = rule;
  if (window.until === 0) {
    if (!rule.loud && (cutAt === undefined || window.pending < Math.min(rule.batch, cutAt))) {
      return 'quiet';
    }
    const refused = window.pending;
    window.pending = 0;
    const until = now + rule.windowMs;
    const opened = await open(deps, connectionId, until, refused, now);
    if (opened === 'opened') {
      Object.assign(window, { until, counted: refused });
      if (cutAt !== undefined && refused >= cutAt) return 'cut';
      return rule.loud ? 'told' : 'quiet';
    }
    if (opened === 'gone') return 'unknown';
    window.pending += refused;
    windows.learn(connectionId, opened);
    window = windows.at(connectionId, now);
  }
  if (!rule.counts || cutAt === undefined || window.counted >= cutAt) return 'quiet';
  if (window.pending < Math.min(rule.batch, cutAt - window.counted)) return 'quiet';
  const adding = window.pending;
  window.pending = 0;
  const total = await add(deps, connectionId, window.until, adding);
  if (total === undefined) return 'quiet';
  window.counted = Math.max(window.counted, total);
  return total >= cutAt && total - adding < cutAt ? 'cut' : 'quiet';
};

/** Opens a window unless one is open: `opened`, `gone`, or the item that has one open. */
const open = async (
  deps: TableRef,
  connectionId: string,
  until: number,
  refused: number,
  now: number,
): Promise<'opened' | 'gone' | Record<string, unknown>> => {
  const written = await conditionalUpdate(deps, {
    Key: connectionKey(connectionId),
    UpdateExpression: 'SET #until = :until, #refused = :refused',
    ConditionExpression:
      'attribute_exists(pk) AND (attribute_not_exists(#until) OR #until <= :now)',
    ExpressionAttributeNames: { '#until': UNTIL, '#refused': REFUSED },
    ExpressionAttributeValues: { ':until': until, ':refused': refused, ':now': now },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  });
  return written.applied ? 'opened' : (written.old ?? 'gone');
};

/** Adds to the count of the window ending at `until`; undefined if that window is over. */
const add = async (
  deps: TableRef,
  connectionId: string,
  until: number,
  refused: number,
): Promise<number | undefined> => {
  const written = await conditionalUpdate(deps, {
    Key: connectionKey(connectionId),
    UpdateExpression: 'ADD #refused :refused',
    ConditionExpression: '#until = :until',
    ExpressionAttributeNames: { '#until': UNTIL, '#refused': REFUSED },
    ExpressionAttributeValues: { ':until': until, ':refused': refused },
    ReturnValues: 'UPDATED_NEW',
  });
  return written.applied ? (written.attributes[REFUSED] as number | undefined) : undefined;
};
