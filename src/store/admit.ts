import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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

type Marshalled = Record<string, { N?: string; S?: string } | undefined>;

/**
 * Reads the sender's connection and charges its rate limit in the same single write (GCRA on a
 * "theoretical arrival time", `tat`, kept on the connection item): a sender at a human pace
 * costs one UpdateItem, which replaces the read it needed anyway; a burst costs two.
 */
export const admitMessage = async (
  { client, tableName }: Deps,
  connectionId: string,
  { perSecond, burst }: RateLimit,
  now: number,
): Promise<Admission> => {
  const interval = 1000 / perSecond;
  const tolerance = (burst - 1) * interval;
  let condition = 'attribute_exists(pk) AND (attribute_not_exists(tat) OR tat <= :now)';
  let values: Record<string, number> = { ':now': now, ':next': now + interval };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: connectionKey(connectionId),
          UpdateExpression: 'SET tat = :next',
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { outcome: 'admitted', connection: toConnection(Attributes ?? {}) };
    } catch (error) {
      if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
      const old = (error as { Item?: Marshalled }).Item;
      if (!old?.pk) return { outcome: 'unknown' };
      const tat = Number(old.tat?.N ?? 0);
      if (tat - now > tolerance)
        return { outcome: 'limited', retryAfterMs: Math.ceil(tat - now - tolerance) };
      // Within the burst: move tat on from where it is, if nobody else moved it meanwhile.
      condition = 'tat = :tat';
      values = { ':tat': tat, ':next': Math.max(tat, now) + interval };
    }
  }
  return { outcome: 'limited', retryAfterMs: Math.ceil(interval) };
};
