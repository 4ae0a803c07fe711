import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { described, type Finding } from './finding.js';

/** Lambda refuses a reservation that leaves fewer unreserved executions in the Region. */
export const MIN_UNRESERVED = 100;
/** Service Quotas' code for Lambda's concurrent executions (per account and Region). */
export const CONCURRENCY_QUOTA_CODE = 'L-B99A9384';

/** The Region's concurrency as Lambda reports it, and what the chat's function holds of it. */
export interface ConcurrencyAccount {
  /** `AccountLimit.ConcurrentExecutions`: the quota. */
  limit: number;
  /** `AccountLimit.UnreservedConcurrentExecutions`: the quota less every reservation. */
  unreserved: number;
  /** The function's own reservation today (0: none, or no function yet), given back on update. */
  held: number;
}

export interface ReservationPlan {
  /** The reservation the deploy sets; undefined: `-c reservedConcurrency=none`. */
  planned: number | undefined;
  region: string;
  /** The deploy command with one context value changed. */
  deployWith: (key: string, value: string) => string;
}

/**
 * Whether the planned reservation fits. It stops rather than lowering the reservation itself: the
 * reservation is also the function's cost ceiling, which only the operator should change.
 */
export const judgeReservation = (
  account: ConcurrencyAccount,
  { planned, region, deployWith }: ReservationPlan,
): Finding => {
  const { limit, unreserved, held } = account;
  const available = unreserved + held;
  const holds = held > 0 ? ` (the function holds ${held} now)` : '';
  if (planned === undefined) {
    return {
      level: 'ok',
      text: `Lambda concurrency: nothing reserved; the function shares the ${available} unreserved of the quota of ${limit}${holds}`,
    };
  }
  const left = available - planned;
  if (left >= MIN_UNRESERVED) {
    return {
      level: 'ok',
      text: `Lambda concurrency: reserving ${planned} leaves ${left} of the quota of ${limit} unreserved${holds}`,
    };
  }
  const largest = available - MIN_UNRESERVED;
  const quota = limit - available + planned + MIN_UNRESERVED;
  return {
    level: 'stop',
    text: [
      `Lambda concurrency: reserving ${planned} would leave ${Math.max(left, 0)} of the quota of ${limit} unreserved${holds}; Lambda refuses any reservation that leaves fewer than ${MIN_UNRESERVED}.`,
      'Fix, one of:',
      ...(largest >= 1
        ? [`  ${deployWith('reservedConcurrency', String(largest))}   (the most that fits)`]
        : []),
      `  ${deployWith('reservedConcurrency', 'none')}   (no reservation: no ceiling on the function either)`,
      `  ask for a quota of at least ${quota} (Service Quotas, AWS Lambda, Concurrent executions, ${CONCURRENCY_QUOTA_CODE}):`,
      `    aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${CONCURRENCY_QUOTA_CODE} --desired-value ${quota} --region ${region}`,
    ].join('\n'),
  };
};

/** Reads the Region's concurrency and the function's reservation, and judges the plan. */
export const checkConcurrency = async (
  lambda: LambdaClient,
  functionName: string,
  plan: ReservationPlan,
): Promise<Finding> => {
  try {
    const [{ AccountLimit }, held] = await Promise.all([
      lambda.send(new GetAccountSettingsCommand({})),
      lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName })).then(
        (answer) => answer.ReservedConcurrentExecutions ?? 0,
        (error: unknown) => {
          // No function yet: a first deploy holds nothing.
          if ((error as Error).name === 'ResourceNotFoundException') return 0;
          throw error;
        },
      ),
    ]);
    const account = {
      limit: AccountLimit?.ConcurrentExecutions ?? 0,
      unreserved: AccountLimit?.UnreservedConcurrentExecutions ?? 0,
      held,
    };
    return judgeReservation(account, plan);
  } catch (error) {
    return { level: 'warn', text: `Lambda concurrency: check skipped (${described(error)})` };
  }
};
