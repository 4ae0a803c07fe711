import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat, CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import { type IAccessLogSettings, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * One JSON line per connect, message and disconnect. Only what API Gateway itself decides: no
 * query string and no header (`?token=` may carry a secret; `userAgent` and the host are headers).
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  eventType: '$context.eventType',
  routeKey: '$context.routeKey',
  connectionId: '$context.connectionId',
  connectedAt: '$context.connectedAt',
  messageId: '$context.messageId',
  status: '$context.status',
  error: '$context.error.message',
  errorType: '$context.error.responseType',
  integrationStatus: '$context.integration.status',
  integrationError: '$context.integration.error',
  integrationLatency: '$context.integration.latency',
  /** The function's own request id: joins this line to the function's log lines. */
  integrationRequestId: '$context.integration.requestId',
} as const;

export const ACCESS_LOG_RETENTION = RetentionDays.ONE_MONTH;

/** The stage's access log settings: its own log group, kept like the function's logs. */
export const createAccessLogs = (
  scope: Construct,
  removalPolicy: RemovalPolicy,
): IAccessLogSettings => {
  const logGroup = new LogGroup(scope, 'AccessLogs', {
    retention: ACCESS_LOG_RETENTION,
    removalPolicy,
  });
  return {
    destination: new LogGroupLogDestination(logGroup),
    format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
  };
};

/**
 * WebSocket (and REST) stages can log only once API Gateway's account-wide setting names a role
 * it may write logs with; without it the stage fails to deploy ("CloudWatch Logs role ARN must
 * be set in account settings to enable logging"). The setting is one per account and Region,
 * and deleting the `AWS::ApiGateway::Account` resource does not clear it: so the role is kept
 * when the stack is destroyed (as CDK's RestApi does), and the setting never points at a
 * deleted role, whichever stage's deploy set it last.
 */
export const setApiGatewayLogsRole = (scope: Construct) => {
  const role = new Role(scope, 'ApiGatewayLogsRole', {
    assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
    managedPolicies: [
      ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
    ],
    description: 'API Gateway account setting: writes the logs of every API in this Region',
  });
  // RETAIN, not RETAIN_ON_UPDATE_OR_DELETE: a first deploy rolled back after the setting took
  // this role would delete the role and leave the setting naming it. A kept role has no fixed
  // name, so it never blocks a redeploy; it only waits for an operator to delete it.
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason:
      'API Gateway writes the logs of every API in the account and Region with this one role, ' +
      'to log groups it names itself: AWS maintains this policy for exactly that purpose.',
  });
  const account = new CfnAccount(scope, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
  account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return account;
};
