import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The document client the store uses. The endpoint comes from the SDK's own settings
 * (`AWS_ENDPOINT_URL_DYNAMODB` locally, the Region's endpoint on AWS).
 */
export const createDocumentClient = (config: DynamoDBClientConfig = {}) =>
  DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });

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
