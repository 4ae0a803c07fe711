/**
 * The one definition of the chat table: keys and TTL attribute. `infra/` deploys it,
 * `local/` creates it in DynamoDB Local and the store reads and writes by it.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
} as const;
