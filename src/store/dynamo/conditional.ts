import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { TableRef } from './client.js';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/**
 * The item a failed condition sent back (`ReturnValuesOnConditionCheckFailure`), as plain
 * values: errors come from the low-level client, which the document client does not unmarshall.
 */
export const itemOfFailure = (item: unknown): Item | undefined =>
  item && typeof item === 'object' ? unmarshall(item as Record<string, AttributeValue>) : undefined;

/** The item that failed a condition: as the error returned it, or read again if it did not. */
export const readFailedItem = async (
  { client, tableName }: TableRef,
  returned: unknown,
  key: Key,
): Promise<Item | undefined> => {
  const item = itemOfFailure(returned);
  if (item) return item;
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return Item;
};

/**
 * A transaction's put of an item that must not exist yet; a refusal returns the item there
 * (read it with `readFailedItem`).
 */
export const newItemPut = (tableName: string, item: Item) => ({
  Put: {
    TableName: tableName,
    Item: item,
    ConditionExpression: 'attribute_not_exists(pk)',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  },
});

/** What a conditional put found: nothing (it wrote), or the item already there. */
export type PutIfAbsent = { written: true } | { written: false; existing: Item | undefined };

/** Puts `item` unless one with its key exists, and then says what was there. */
export const putIfAbsent = async <T extends Key>(deps: TableRef, item: T): Promise<PutIfAbsent> => {
  try {
    await deps.client.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { written: true };
  } catch (error) {
    if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
    const key = { pk: item.pk, sk: item.sk };
    return {
      written: false,
      existing: await readFailedItem(deps, (error as Error & { Item?: unknown }).Item, key),
    };
  }
};

type ConditionalUpdateInput = Omit<UpdateCommandInput, 'TableName'> & {
  ConditionExpression: string;
};

/**
 * What a conditional UpdateItem came to: applied, with the attributes it returned; or refused by
 * its condition (an expected outcome, not an error), with the item the condition saw when
 * DynamoDB sent it back (`ReturnValuesOnConditionCheckFailure`; none when there was no item).
 */
export type UpdateOutcome =
  | { applied: true; attributes: Item }
  | { applied: false; old: Item | undefined };

/** Sends one conditional UpdateItem and says which way its condition went. */
export const conditionalUpdate = async (
  { client, tableName }: TableRef,
  update: ConditionalUpdateInput,
): Promise<UpdateOutcome> => {
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({ TableName: tableName, ...update }),
    );
    return { applied: true, attributes: Attributes ?? {} };
  } catch (error) {
    if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
    const old = itemOfFailure((error as { Item?: unknown }).Item);
    return { applied: false, old: old && Object.keys(old).length > 0 ? old : undefined };
  }
};

/** Sends one conditional UpdateItem: true when it was applied, false when its condition refused it. */
export const updateIf = async (deps: TableRef, update: ConditionalUpdateInput): Promise<boolean> =>
  (await conditionalUpdate(deps, update)).applied;
