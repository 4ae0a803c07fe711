import { ArnFormat, Aws, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { type AlarmSources, createAlarms } from './alarms.js';
import { createDashboard, type DashboardSources } from './dashboard.js';

/** What the stage is watched by: its alarms, who hears them, and its dashboard. */
export interface ObservabilitySources
  extends AlarmSources,
    Omit<DashboardSources, 'alarms' | 'dashboardName'> {
  /** Subscribed to the alarms' topic; undefined: no subscription (add one in the console). */
  alarmEmail: string | undefined;
}

/**
 * The topic every alarm publishes to: encrypted with a key of its own (CloudWatch may not use the
 * AWS managed `alias/aws/sns` key, whose policy no one can change) and reachable over TLS only.
 */
const createAlarmTopic = (scope: Construct, alarmEmail: string | undefined) => {
  const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
  // Only this account's alarms may publish (no other account's CloudWatch as a confused deputy).
  const ownAlarms = cloudWatch.withConditions({
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: {
      'aws:SourceArn': Stack.of(scope).formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: '*',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    },
  });
  const key = new Key(scope, 'AlarmTopicKey', {
    description: 'Encrypts the chat alarms topic; CloudWatch may use it to publish',
    enableKeyRotation: true,
    // It encrypts notifications in flight only: nothing outlives the topic that needs it.
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  // As CloudWatch's guide writes it, without conditions: the key is this topic's only.
  key.grant(cloudWatch, 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new Topic(scope, 'AlarmTopic', { masterKey: key, enforceSSL: true });
  topic.grantPublish(ownAlarms);
  if (alarmEmail !== undefined) topic.addSubscription(new EmailSubscription(alarmEmail));
  return topic;
};

/** The stage's alarms into one SNS topic and its dashboard, both named in the stack's outputs. */
export const createObservability = (scope: Construct, sources: ObservabilitySources) => {
  const topic = createAlarmTopic(scope, sources.alarmEmail);
  const alarms = createAlarms(scope, sources, topic);
  // Dashboards are global to the account: the same stage in another Region needs another name.
  const dashboardName = `${sources.stackName}-${Aws.REGION}`;
  const dashboard = createDashboard(scope, { ...sources, dashboardName, alarms });
  new CfnOutput(scope, 'AlarmTopicArn', {
    value: topic.topicArn,
    description:
      'aws sns subscribe --topic-arn <this> --protocol email --notification-endpoint you@example.com',
  });
  new CfnOutput(scope, 'DashboardName', { value: dashboard.dashboardName });
  const consoleHome = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home`;
  new CfnOutput(scope, 'DashboardUrl', {
    value: `${consoleHome}?region=${Aws.REGION}#dashboards/dashboard/${dashboardName}`,
  });
  return { topic, alarms, dashboard };
};
