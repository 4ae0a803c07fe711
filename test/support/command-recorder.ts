import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One DynamoDB request as the client sent it. */
export interface RecordedCommand {
  /** The operation, e.g. `Query`, `GetItem`. */
  operation: string;
  input: Record<string, unknown>;
}

/**
 * Records every request a real SDK client sends (SDK middleware, after the SDK's own retries
 * would repeat it), so a test can say what the code asked DynamoDB for.
 */
export const recordCommands = (client: DynamoDBDocumentClient) => {
  const commands: RecordedCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
      commands.push({ operation, input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: `recorder-${Math.random()}` },
  );
  return {
    commands,
    /** Requests by operation. */
    counts: () => {
      const counts: Record<string, number> = {};
      for (const { operation } of commands) counts[operation] = (counts[operation] ?? 0) + 1;
      return counts;
    },
  };
};
