import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

interface Consumed {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/**
 * Asks DynamoDB for `ReturnConsumedCapacity: TOTAL` on every request of a client and adds it up
 * per operation, so a benchmark can report capacity units per message.
 */
export const meterCapacity = (client: DynamoDBDocumentClient) => {
  const totals = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Consumed | Consumed[] })
        .ConsumedCapacity;
      const units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      const operation = context.commandName ?? 'unknown';
      totals.set(operation, (totals.get(operation) ?? 0) + units);
      return result;
    },
    { step: 'initialize', name: 'meterCapacity' },
  );
  return {
    totals: () => Object.fromEntries(totals),
    reset: () => totals.clear(),
  };
};
