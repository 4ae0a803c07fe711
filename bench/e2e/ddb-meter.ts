import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

interface TransactItem {
  Put?: { Item?: unknown };
  Update?: unknown;
  Delete?: unknown;
  ConditionCheck?: unknown;
}

/**
 * Counts a client's DynamoDB requests per operation, and what its transactions cost on AWS:
 * 2 write request units per item and started KB. DynamoDB Local's `ConsumedCapacity` for a
 * transaction is 2 x one item however many items it holds, so the bench cannot take it as is.
 */
export const meterCommands = (client: DynamoDBDocumentClient) => {
  const calls = new Map<string, number>();
  let transactItems = 0;
  let transactWru = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
      calls.set(operation, (calls.get(operation) ?? 0) + 1);
      const items = (args.input as { TransactItems?: TransactItem[] }).TransactItems;
      for (const item of items ?? []) {
        transactItems++;
        // An approximation of DynamoDB's item size; our items are far below 1 KB either way.
        const bytes = item.Put ? Buffer.byteLength(JSON.stringify(item.Put.Item ?? {})) : 0;
        transactWru += 2 * Math.max(1, Math.ceil(bytes / 1024));
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchCommandMeter' },
  );
  return {
    totals: () => ({ calls: Object.fromEntries(calls), transactItems, transactWru }),
    reset: () => {
      calls.clear();
      transactItems = 0;
      transactWru = 0;
    },
  };
};
