import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { observeStoreErrors, type StoreEvent } from './observed-errors.js';

/**
 * The document client the store uses. The endpoint comes from the SDK's own settings
 * (`AWS_ENDPOINT_URL_DYNAMODB` locally, the Region's endpoint on AWS). `observe` hears of its
 * throttles and lost conditions (the metrics count them).
 */
export const createDocumentClient = (
  config: DynamoDBClientConfig = {},
  observe?: (event: StoreEvent) => void,
) => {
  const client = new DynamoDBClient(config);
  if (observe) observeStoreErrors(client, observe);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
};

export type { DynamoDBDocumentClient };

/** The table a store function reads and writes, and the client it goes through. */
export interface TableRef {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** A table and the clock a store function stamps its writes with. */
export interface ClockedTableRef extends TableRef {
  now: () => number;
}
