import type {
  DynamoDBClient,
  ServiceInputTypes,
  ServiceOutputTypes,
} from '@aws-sdk/client-dynamodb';
import type { FinalizeHandler, FinalizeHandlerArguments } from '@smithy/types';
import { isThrottling } from './errors.js';

/** What DynamoDB answered that an operator counts: a throttle, or a lost condition. */
export type StoreEvent = 'throttle' | 'conditional_loss';

type Reason = { Code?: string };

/** What one failed attempt says to an operator: a transaction's reasons each count once. */
export const storeEventsOf = (error: unknown): StoreEvent[] => {
  const name = (error as { name?: string })?.name;
  if (isThrottling(name)) return ['throttle'];
  if (name === 'ConditionalCheckFailedException') return ['conditional_loss'];
  if (name !== 'TransactionCanceledException') return [];
  const reasons = (error as { CancellationReasons?: Reason[] }).CancellationReasons ?? [];
  return reasons.flatMap(({ Code }): StoreEvent[] =>
    Code === 'ThrottlingError' || Code === 'ProvisionedThroughputExceeded'
      ? ['throttle']
      : Code === 'ConditionalCheckFailed'
        ? ['conditional_loss']
        : [],
  );
};

/**
 * Tells `observe` of every throttle and lost condition a client meets, each attempt of the SDK's
 * retries apart (a throttle the SDK retried away is still a sign of a hot partition).
 */
export const observeStoreErrors = (
  client: DynamoDBClient,
  observe: (event: StoreEvent) => void,
) => {
  client.middlewareStack.addRelativeTo(
    (next: FinalizeHandler<ServiceInputTypes, ServiceOutputTypes>) =>
      async (args: FinalizeHandlerArguments<ServiceInputTypes>) => {
        try {
          return await next(args);
        } catch (error) {
          for (const event of storeEventsOf(error)) observe(event);
          throw error;
        }
      },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'observeStoreErrors' },
  );
};
