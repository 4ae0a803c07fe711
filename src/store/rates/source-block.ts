import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from '../dynamo/client.js';
import { conditionalUpdate } from '../dynamo/conditional.js';
import { sourceKey } from '../dynamo/keys.js';
import type { KnownTimes } from './gcra.js';

/** The source item's attribute that refuses its network new connections until then (epoch ms). */
export const SOURCE_BLOCK_ATTRIBUTE = 'blockedUntil';

/** How a network's block on connecting grows: `firstMs`, doubled per offence, at most `maxMs`. */
export interface BlockRule {
  firstMs: number;
  maxMs: number;
}

/** An offence more than this long after the one before it starts the count again. */
const OFFENCE_MEMORY_MS = 24 * 60 * 60 * 1000;

/** Writes one block may take: concurrent offences of one network each cost the others one. */
const MAX_WRITES = 3;

type StoreAccess = TableRef & { known: KnownTimes };

/**
 * Blocks a network from connecting after one of its connections was cut off, on the item that
 * holds its budgets, so that `$connect` checks the block in the write that charges it anyway.
 * One conditional write that expects the network's last offence as this container believes it
 * (none, usually); a wrong guess costs one more, from the item the failure returned. Returns
 * when the block ends.
 */
export const blockSource = async (
  { known, ...deps }: StoreAccess,
  sourceIp: string,
  rule: BlockRule,
  now: number,
): Promise<number> => {
  const key = sourceKey(sourceIp);
  let seen: Record<string, unknown> = {};
  for (let writes = 1; writes <= MAX_WRITES; writes++) {
    const lastAt = typeof seen.offenceAt === 'number' ? seen.offenceAt : undefined;
    const offences =
      lastAt !== undefined && lastAt > now - OFFENCE_MEMORY_MS ? Number(seen.offences ?? 0) + 1 : 1;
    const lengthMs = Math.min(rule.maxMs, rule.firstMs * 2 ** Math.min(offences - 1, 30));
    const running =
      typeof seen[SOURCE_BLOCK_ATTRIBUTE] === 'number' ? seen[SOURCE_BLOCK_ATTRIBUTE] : 0;
    const until = Math.max(now + lengthMs, running);
    const written = await conditionalUpdate(deps, {
      Key: key,
      UpdateExpression:
        'SET #block = :until, offences = :offences, offenceAt = :now, expiresAt = :expiresAt',
      ConditionExpression:
        lastAt === undefined ? 'attribute_not_exists(offenceAt)' : 'offenceAt = :lastAt',
      ExpressionAttributeNames: { '#block': SOURCE_BLOCK_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':until': until,
        ':offences': offences,
        ':now': now,
        ':expiresAt': Math.ceil((now + OFFENCE_MEMORY_MS + lengthMs) / 1000),
        ...(lastAt === undefined ? {} : { ':lastAt': lastAt }),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    if (written.applied) {
      known.set({ key, attribute: SOURCE_BLOCK_ATTRIBUTE }, until);
      return until;
    }
    seen = written.old ?? {};
  }
  // Others' offences kept landing first: they have blocked the network already.
  const running = seen[SOURCE_BLOCK_ATTRIBUTE];
  return typeof running === 'number' ? running : now;
};

/**
 * When the network's block ends, if one is running: for a `$connect` that charges no connect
 * budget (`SOURCE_CONNECTS_PER_MINUTE=0`), so the block costs it one small read.
 */
export const sourceBlockedUntil = async (
  { known, client, tableName }: StoreAccess,
  sourceIp: string,
  now: number,
): Promise<number | undefined> => {
  const key = sourceKey(sourceIp);
  const cached = known.get({ key, attribute: SOURCE_BLOCK_ATTRIBUTE });
  if (cached !== undefined && cached > now) return cached;
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: key,
      ProjectionExpression: '#block',
      ExpressionAttributeNames: { '#block': SOURCE_BLOCK_ATTRIBUTE },
    }),
  );
  const until = Item?.[SOURCE_BLOCK_ATTRIBUTE];
  if (typeof until !== 'number') return undefined;
  known.set({ key, attribute: SOURCE_BLOCK_ATTRIBUTE }, until);
  return until > now ? until : undefined;
};
