import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * What a client asked of DynamoDB: capacity units as DynamoDB Local reports them, items read
 * (what a Query or Scan examined, before its filter; what a get found), and requests,
 * by operation (`Query`, `TransactWriteItems`...); transaction items, and the WRU AWS bills for
 * them (2 per item and started KB: DynamoDB Local reports 2 units per transaction however many
 * items it holds, so the bench cannot take its figure as is).
 */
export interface DynamoTotals {
  capacity: Record<string, number>;
  itemsRead: Record<string, number>;
  commands: { calls: Record<string, number>; transactItems: number; transactWru: number };
}

export const noDynamo = (): DynamoTotals => ({
  capacity: {},
  itemsRead: {},
  commands: { calls: {}, transactItems: 0, transactWru: 0 },
});

const add = (into: Record<string, number>, key: string, value: number) => {
  into[key] = (into[key] ?? 0) + value;
};

/** Adds `from` into `into`. */
export const addDynamo = (into: DynamoTotals, from: DynamoTotals) => {
  for (const [key, value] of Object.entries(from.capacity)) add(into.capacity, key, value);
  for (const [key, value] of Object.entries(from.itemsRead)) add(into.itemsRead, key, value);
  for (const [key, value] of Object.entries(from.commands.calls))
    add(into.commands.calls, key, value);
  into.commands.transactItems += from.commands.transactItems;
  into.commands.transactWru += from.commands.transactWru;
};

interface Consumed {
  CapacityUnits?: number;
}

/** The output fields that say how many items a read request read. */
interface ReadOutput {
  ScannedCount?: number;
  Item?: unknown;
  Responses?: Record<string, unknown[]>;
}

/** Items a request read: examined by a Query or Scan (before its filter), found by a get. */
const itemsIn = (output: ReadOutput) =>
  (output.ScannedCount ?? 0) +
  (output.Item ? 1 : 0) +
  Object.values(output.Responses ?? {}).reduce((sum, items) => sum + items.length, 0);

/** Meters every request of `client` (asking for `ReturnConsumedCapacity: TOTAL`) until reset. */
export const meterDynamo = (client: DynamoDBDocumentClient) => {
  let totals = noDynamo();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const { commands } = totals;
      add(commands.calls, operation, 1);
      const input = args.input as { TransactItems?: { Put?: { Item?: unknown } }[] };
      for (const item of input.TransactItems ?? []) {
        // An approximation of DynamoDB's item size; our items are far below 1 KB either way.
        const bytes = item.Put ? Buffer.byteLength(JSON.stringify(item.Put.Item ?? {})) : 0;
        commands.transactItems++;
        commands.transactWru += 2 * Math.max(1, Math.ceil(bytes / 1024));
      }
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Consumed | Consumed[] })
        .ConsumedCapacity;
      const units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      add(totals.capacity, operation, units);
      const items = itemsIn(result.output as ReadOutput);
      if (items > 0) add(totals.itemsRead, operation, items);
      return result;
    },
    { step: 'initialize', name: 'benchDynamoMeter' },
  );
  return {
    totals: () => totals,
    reset: () => {
      totals = noDynamo();
    },
  };
};
