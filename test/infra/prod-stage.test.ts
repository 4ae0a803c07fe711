import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { unacknowledgedFindings } from './support/nag.js';
import { useSynth } from './support/synth.js';
import { onlyOf, type Resource } from './support/template.js';

const synth = useSynth({ context: { stage: 'prod' } });

describe('the prod stage', () => {
  it('is its own stack with its own function name and API stage', () => {
    expect(synth.stack.stackName).toBe('ServerlessChat-prod');
    expect(synth.fn.Properties?.FunctionName).toBe('ServerlessChat-prod-router');
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: 'prod' });
  });

  // RetainExceptOnCreate: kept when the stack is destroyed or an update removes it, deleted
  // when the deploy that created it rolls back (a new, empty copy would only be left behind).
  const keptUnlessNew = { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' };

  it('keeps the table when the stack is destroyed or replaced, unprotected so that a failed create can roll it back', () => {
    const [, table] = onlyOf(synth.template, 'AWS::DynamoDB::Table');
    expect(table).toMatchObject(keptUnlessNew);
    expect(table.Properties?.DeletionProtectionEnabled).toBe(false);
  });

  it('keeps the function’s logs too', () => {
    const resources = synth.template.toJSON().Resources as Record<string, Resource>;
    const config = resources[synth.fnId]?.Properties?.LoggingConfig as {
      LogGroup: { Ref: string };
    };
    expect(resources[config.LogGroup.Ref]).toMatchObject(keptUnlessNew);
  });

  it('keeps the stage’s access logs too, but not the records of dropped replays', () => {
    const [, stage] = onlyOf(synth.template, 'AWS::ApiGatewayV2::Stage');
    const settings = stage.Properties?.AccessLogSettings as {
      DestinationArn: { 'Fn::GetAtt': [string] };
    };
    const resources = synth.template.toJSON().Resources as Record<string, Resource>;
    expect(resources[settings.DestinationArn['Fn::GetAtt'][0]]).toMatchObject(keptUnlessNew);
    const [, queue] = onlyOf(synth.template, 'AWS::SQS::Queue');
    expect(queue.DeletionPolicy).toBe('Delete');
  });

  it('leaves nothing behind with a plain Retain that a rolled-back first deploy would strand', () => {
    const resources = synth.template.toJSON().Resources as Record<string, Resource>;
    const retained = Object.entries(resources)
      .filter(([, resource]) => resource.DeletionPolicy === 'Retain')
      .map(([, resource]) => resource.Type);
    // Only API Gateway's account setting and its role, which the setting keeps naming.
    expect(retained.sort()).toEqual(['AWS::ApiGateway::Account', 'AWS::IAM::Role']);
  });

  it('passes cdk-nag’s AwsSolutions pack', () => {
    expect(unacknowledgedFindings(synth.stack)).toEqual([]);
  });

  it('still empties and deletes the client bucket, whose files all come from the repository', () => {
    const site = synth.site?.template as Template;
    const [, bucket] = onlyOf(site, 'AWS::S3::Bucket');
    expect(bucket.DeletionPolicy).toBe('Delete');
    const [, deployment] = onlyOf(site, 'Custom::CDKBucketDeployment');
    expect(deployment.Properties?.RetainOnDelete).toBe(false);
  });

  it('passes cdk-nag’s AwsSolutions pack on its site too', () => {
    expect(unacknowledgedFindings(synth.site?.stack as Stack)).toEqual([]);
  });
});
