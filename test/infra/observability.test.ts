import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asText } from './support/intrinsics.js';
import { unacknowledgedFindings } from './support/nag.js';
import { type Synthesized, synthChat, useSynth } from './support/synth.js';
import { onlyOf, type Resource, type Statement } from './support/template.js';

const synth = useSynth({ context: { stage: 'test' } });
let emailed: Synthesized;

beforeAll(() => {
  emailed = synthChat({
    context: { stage: 'test', alarmEmail: 'ops@example.com', reservedConcurrency: 'none' },
  });
});
afterAll(() => emailed?.cleanup());

/** The statements of a resource's policy document (`PolicyDocument`, `KeyPolicy`). */
const statementsOf = (resource: Resource, key: string) =>
  resource.Properties?.[key] as { Statement: Statement[] };
const topicStatements = () =>
  statementsOf(onlyOf(synth.template, 'AWS::SNS::TopicPolicy')[1], 'PolicyDocument').Statement;

describe('the alarms’ topic', () => {
  it('is encrypted with a rotated key of its own, which CloudWatch may use to publish', () => {
    const [keyId, key] = onlyOf(synth.template, 'AWS::KMS::Key');
    const [, topic] = onlyOf(synth.template, 'AWS::SNS::Topic');
    expect(topic.Properties?.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    expect(statementsOf(key, 'KeyPolicy').Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    // Nothing it encrypts outlives the topic: deleted with the stack, after AWS's waiting period.
    expect(key.DeletionPolicy).toBe('Delete');
    expect(key.Properties?.PendingWindowInDays).toBe(7);
  });

  it('takes messages over TLS only, and from this account’s alarms', () => {
    const [topicId] = onlyOf(synth.template, 'AWS::SNS::Topic');
    expect(topicStatements()).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: { Ref: topicId },
      }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sns:Publish',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': expect.anything() },
        },
      }),
    ]);
    const [, allow] = topicStatements() as [Statement, Statement];
    const sourceArn = (allow.Condition as { ArnLike: Record<string, unknown> }).ArnLike[
      'aws:SourceArn'
    ];
    expect(asText(sourceArn)).toBe(
      'arn:{Ref:AWS::Partition}:cloudwatch:{Ref:AWS::Region}:{Ref:AWS::AccountId}:alarm:*',
    );
  });

  it('emails no one unless told an address', () => {
    synth.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('emails the address given with -c alarmEmail', () => {
    const [topicId] = onlyOf(emailed.template, 'AWS::SNS::Topic');
    const [, subscription] = onlyOf(emailed.template, 'AWS::SNS::Subscription');
    expect(subscription.Properties).toEqual({
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topicId },
    });
  });
});

describe('the stack’s outputs', () => {
  it('name the alarms’ topic and the dashboard, with a link to it', () => {
    const [topicId] = onlyOf(synth.template, 'AWS::SNS::Topic');
    const [dashboardId] = onlyOf(synth.template, 'AWS::CloudWatch::Dashboard');
    const outputs = synth.template.toJSON().Outputs;
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: topicId });
    expect(outputs.DashboardName.Value).toEqual({ Ref: dashboardId });
    expect(asText(outputs.DashboardUrl.Value)).toBe(
      'https://{Ref:AWS::Region}.console.aws.amazon.com/cloudwatch/home?region={Ref:AWS::Region}' +
        '#dashboards/dashboard/ServerlessChat-test-{Ref:AWS::Region}',
    );
  });
});

describe('cdk-nag’s AwsSolutions pack', () => {
  it('finds nothing unacknowledged with an email subscription and no reservation either', () => {
    expect(unacknowledgedFindings(emailed.stack)).toEqual([]);
  });
});
