import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * How the function's asynchronous invocations (only the replay it sends itself on `$connect`)
 * are handled. A replay older than a minute is useless: the client has asked for `history` or
 * left. Lambda waits a minute before retrying a failed run, so a retry would be too old anyway:
 * none. Lambda still retries throttled and failed-to-start invocations within the age limit.
 */
export const REPLAY_INVOKE = { retryAttempts: 0, maxEventAge: Duration.minutes(1) } as const;

/** How long a record of a dropped replay stays in its queue (SQS's longest). */
export const FAILED_REPLAY_RETENTION = Duration.days(14);

/**
 * Sends a record of each replay Lambda gave up on (the error, or EventAgeExceeded when
 * throttling held it back for a minute) to an SQS queue nobody consumes: an operator can see
 * how many replays were lost and why. A record holds the request (connection id, room, `since`,
 * when it connected) and the error: never an address, a name, message text or tokens (the replay
 * reads the network and the name from the connection item; see `ReplayRequestSchema`).
 */
export const configureReplayInvokes = (scope: Construct, fn: IFunction) => {
  const queue = new Queue(scope, 'FailedReplays', {
    retentionPeriod: FAILED_REPLAY_RETENTION,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // Diagnostics that expire on their own: deleted with the stack, whatever the stage.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the end of the line: the on-failure destination of the replay, ' +
      'kept for inspection and never consumed, so it has no dead-letter queue of its own.',
  });
  fn.configureAsyncInvoke({ ...REPLAY_INVOKE, onFailure: new SqsDestination(queue) });
  return queue;
};
