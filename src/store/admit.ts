import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { itemOfFailure } from './conditional.js';
import { toConnection } from './connections.js';
import { connectionKey } from './keys.js';
import type { Connection } from './types.js';

interface Deps {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** A per-connection rate: `perSecond` sustained, `burst` at once. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export type Admission =
  | { outcome: 'admitted'; connection: Connection }
  | { outcome: 'limited'; retryAfterMs: number }
  | { outcome: 'unknown' };

type Charge =
  | { outcome: 'admitted'; connection: Connection }
  | { outcome: 'refused'; old?: Record<string, unknown> };

/**
 * Reads the sender's connection and charges its rate limit (GCRA: a "theoretical arrival time",
 * `tat`, kept on the connection item) in the same write. A sender at a human pace costs one
 * UpdateItem, which replaces the read it needed anyway. A sender inside a burst costs two, and
 * the second can only be refused when the burst really is used up: `tat` only ever grows, so
 * concurrent sends never make each other fail, and a whole burst arriving at once is admitted.
 */
export const admitMessage = async (
  deps: Deps,
  connectionId: string,
  { perSecond, burst }: RateLimit,
  now: number,
): Promise<Admission> => {
  const interval = 1000 / perSecond;
  const limit = now + (burst - 1) * interval;
  // An idle sender (tat in the past): its schedule starts again from now.
  const fresh = await charge(
    deps,
    connectionId,
    'SET tat = :next',
    'attribute_not_exists(tat) OR tat <= :now',
    { ':now': now, ':next': now + interval },
  );
  if (fresh.outcome === 'admitted') return fresh;
  const tat = fresh.old?.tat;
  if (typeof tat !== 'number') return { outcome: 'unknown' };
  if (tat <= limit) {
    // Inside the burst: one more interval on top of whatever the others have charged meanwhile.
    const burstCharge = await charge(
      deps,
      connectionId,
      'SET tat = tat + :interval',
      'tat <= :limit',
      { ':interval': interval, ':limit': limit },
    );
    if (burstCharge.outcome === 'admitted') return burstCharge;
    if (!burstCharge.old) return { outcome: 'unknown' };
    return limited(burstCharge.old.tat as number, limit);
  }
  return limited(tat, limit);
};

const limited = (tat: number, limit: number): Admission => ({
  outcome: 'limited',
  retryAfterMs: Math.max(1, Math.ceil(tat - limit)),
});

/** One conditional update of the connection's `tat`; a missing connection always fails it. */
const charge = async (
  { client, tableName }: Deps,
  connectionId: string,
  update: string,
  condition: string,
  values: Record<string, number>,
): Promise<Charge> => {
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: connectionKey(connectionId),
        UpdateExpression: update,
        ConditionExpression: `attribute_exists(pk) AND (${condition})`,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { outcome: 'admitted', connection: toConnection(Attributes ?? {}) };
  } catch (error) {
    if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
    const old = itemOfFailure((error as { Item?: unknown }).Item);
    return old?.pk ? { outcome: 'refused', old } : { outcome: 'refused' };
  }
};
