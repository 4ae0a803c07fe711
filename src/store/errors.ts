/** Named store errors: callers branch on these, never on SDK messages. */

export class StoreError extends Error {
  override name = 'StoreError';
}

/** The append kept losing the race for the room's head item and gave up. */
export class SequenceConflictError extends StoreError {
  override name = 'SequenceConflictError';
  constructor(room: string, attempts: number, options?: ErrorOptions) {
    super(`could not append to room "${room}" after ${attempts} conflicting attempts`, options);
  }
}

/** DynamoDB refused for capacity (throttling); the caller may retry later. */
export class StoreThrottledError extends StoreError {
  override name = 'StoreThrottledError';
}

/** The configured table does not exist (wrong TABLE_NAME, or not created). */
export class TableNotFoundError extends StoreError {
  override name = 'TableNotFoundError';
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** Turns the SDK errors we know into store errors; anything else passes through untouched. */
export const toStoreError = (error: unknown, tableName: string): unknown => {
  if (!(error instanceof Error)) return error;
  if (error.name === 'ResourceNotFoundException') {
    return new TableNotFoundError(`DynamoDB table "${tableName}" does not exist`, { cause: error });
  }
  if (THROTTLING.has(error.name)) {
    return new StoreThrottledError(`DynamoDB throttled a request on "${tableName}"`, {
      cause: error,
    });
  }
  return error;
};
