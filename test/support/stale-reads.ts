import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Marshalled = Record<string, { S?: string; N?: string } | undefined>;

/** When an item was written, as far as its own attributes say (a message or a member). */
const writtenAt = (item: Marshalled) => {
  if (item.sentAt?.S) return Date.parse(item.sentAt.S);
  if (item.connectedAt?.N) return Number(item.connectedAt.N);
  return undefined;
};

/**
 * Plays DynamoDB's eventual consistency, which DynamoDB Local never shows: a Query or GetItem
 * that does not ask for `ConsistentRead` gets an answer without the items written in the last
 * `lagMs` (a replica that has not caught up). SDK middleware on a real client.
 */
export const serveStaleReads = (client: DynamoDBDocumentClient, lagMs: number) => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as { ConsistentRead?: boolean };
      if (input.ConsistentRead === true) return result;
      const output = result.output as { Items?: Marshalled[]; Item?: Marshalled };
      const fresh = (item: Marshalled) => (writtenAt(item) ?? 0) > Date.now() - lagMs;
      if (context.commandName === 'QueryCommand' && output.Items) {
        output.Items = output.Items.filter((item) => !fresh(item));
      }
      if (context.commandName === 'GetItemCommand' && output.Item && fresh(output.Item)) {
        delete output.Item;
      }
      return result;
    },
    { step: 'deserialize', name: `stale-reads-${Math.random()}` },
  );
};
