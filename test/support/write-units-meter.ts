import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The operations as middleware on the document client sees them (its input not marshalled yet). */
const SINGLE_WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);
const TRANSACTION = 'TransactWriteItemsCommand';

type Keyed = { Key?: { pk?: string }; Item?: { pk?: string } };

/**
 * Meters a real document client's writes by partition key: the write units DynamoDB Local reports
 * for each single-item write (`ReturnConsumedCapacity`, added by SDK middleware), and the number of
 * transactions, put down to their first item's partition (the log's, for the store's). Local's
 * figures for a transaction follow no rule we could find (it doubles some items and not others),
 * so a test prices its transactions itself, by DynamoDB's documented rule. A write refused by its
 * condition costs DynamoDB a write all the same, though no capacity comes back with the error: it
 * is counted as one unit (the only ones refused here are small rate and head items).
 */
export const meterWriteUnits = (client: DynamoDBDocumentClient) => {
  const units = new Map<string, number>();
  const transactions = new Map<string, number>();
  const add = (to: Map<string, number>, pk: string, count: number) =>
    to.set(pk, (to.get(pk) ?? 0) + count);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const input = args.input as Keyed & {
        TransactItems?: Record<string, Keyed>[];
        ReturnConsumedCapacity?: string;
      };
      const first = input.TransactItems?.[0];
      const keyed = (first && Object.values(first)[0]) ?? input;
      const pk = (keyed.Key ?? keyed.Item)?.pk ?? '?';
      if (command === TRANSACTION) {
        const result = await next(args);
        add(transactions, pk, 1);
        return result;
      }
      if (!SINGLE_WRITES.has(command)) return next(args);
      input.ReturnConsumedCapacity = 'TOTAL';
      try {
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } })
          .ConsumedCapacity;
        add(units, pk, consumed?.CapacityUnits ?? 0);
        return result;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') add(units, pk, 1);
        throw error;
      }
    },
    { step: 'initialize', name: `write-units-${Math.random()}` },
  );
  return {
    /**
     * The single-item write units and the transactions written to one partition (`ROOM#r`)
     * since the last take; then both count from 0 again.
     */
    take: (pk: string) => {
      const taken = { units: units.get(pk) ?? 0, transactions: transactions.get(pk) ?? 0 };
      units.delete(pk);
      transactions.delete(pk);
      return taken;
    },
  };
};
