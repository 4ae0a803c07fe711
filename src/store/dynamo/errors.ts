/** Named store errors: callers branch on these, never on SDK messages. */

export class StoreError extends Error {
  override name = 'StoreError';
}

/**
 * The append claimed seq after seq and lost every one to a tombstone (each time it stalled
 * longer than readers wait for a writer), and gave up.
 */
export class SequenceConflictError extends StoreError {
  override name = 'SequenceConflictError';
  constructor(room: string, attempts: number, options?: ErrorOptions) {
    super(`could not append to room "${room}" after ${attempts} claimed seqs`, options);
  }
}

/** The author already used this client id, within the dedupe window, for a different text. */
export class IdReusedError extends StoreError {
  override name = 'IdReusedError';
  constructor(readonly id: string) {
    super(`id "${id}" was already used for a different message`);
  }
}

/** The room is over its message rate: one group of senders may not use up its partition. */
export class RoomBusyError extends StoreError {
  override name = 'RoomBusyError';
  constructor(
    room: string,
    readonly retryAfterMs: number,
  ) {
    super(`room "${room}" is over its message rate`);
  }
}

/** No message at that seq of the room: past the log's head, a tombstone, or an edit or delete. */
export class MessageNotFoundError extends StoreError {
  override name = 'MessageNotFoundError';
  constructor(readonly seq: number) {
    super(`there is no message ${seq} in this room`);
  }
}

/** Someone other than a message's author tried to edit or delete it. */
export class NotAuthorError extends StoreError {
  override name = 'NotAuthorError';
  constructor(readonly seq: number) {
    super(`message ${seq} is someone else's`);
  }
}

/** An edit of a message that was deleted: a deletion is final. */
export class MessageDeletedError extends StoreError {
  override name = 'MessageDeletedError';
  constructor(readonly seq: number) {
    super(`message ${seq} was deleted; it cannot be edited`);
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

/** Whether an SDK error's name says DynamoDB refused for capacity. */
export const isThrottling = (name: string | undefined) => THROTTLING.has(name ?? '');

/** Turns the SDK errors we know into store errors; anything else passes through untouched. */
export const toStoreError = (error: unknown, tableName: string): unknown => {
  if (!(error instanceof Error)) return error;
  if (error.name === 'ResourceNotFoundException') {
    return new TableNotFoundError(`DynamoDB table "${tableName}" does not exist`, { cause: error });
  }
  if (isThrottling(error.name)) {
    return new StoreThrottledError(`DynamoDB throttled a request on "${tableName}"`, {
      cause: error,
    });
  }
  return error;
};
