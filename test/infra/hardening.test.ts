import { describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS } from '../../infra/access-logs.js';
import { unacknowledgedFindings } from './support/nag.js';
import { useSynth } from './support/synth.js';
import { actionsOf, allStatements, onlyOf, type Resource } from './support/template.js';

const synth = useSynth({ context: { stage: 'test' } });

const resources = () => synth.template.toJSON().Resources as Record<string, Resource>;
/** One property of a resource, as the test expects it to be shaped. */
const prop = <T>(resource: Resource, key: string) => resource.Properties?.[key] as T;
const stage = () => onlyOf(synth.template, 'AWS::ApiGatewayV2::Stage');
const accessLogSettings = () =>
  stage()[1].Properties?.AccessLogSettings as { DestinationArn: unknown; Format: string };

describe('the function’s concurrency', () => {
  it('reserves 100 executions by default, which is also the most that run at once', () => {
    expect(synth.fn.Properties?.ReservedConcurrentExecutions).toBe(100);
  });
});

describe('the replay’s asynchronous invocations', () => {
  it('are never retried and are dropped after a minute', () => {
    const [, config] = onlyOf(synth.template, 'AWS::Lambda::EventInvokeConfig');
    expect(config.Properties).toMatchObject({
      FunctionName: { Ref: synth.fnId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
  });

  it('leave a record of each dropped replay in an encrypted queue kept for 14 days', () => {
    const [queueId, queue] = onlyOf(synth.template, 'AWS::SQS::Queue');
    const [, config] = onlyOf(synth.template, 'AWS::Lambda::EventInvokeConfig');
    expect(config.Properties?.DestinationConfig).toEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    });
    expect(queue.Properties).toMatchObject({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    const denyInsecure = allStatements(synth.template).find(
      (s) =>
        s.Effect === 'Deny' &&
        JSON.stringify(s.Resource) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
    );
    expect(JSON.stringify(denyInsecure?.Condition)).toBe(
      '{"Bool":{"aws:SecureTransport":"false"}}',
    );
  });

  it('can reach that queue as soon as they exist: the function waits for its role’s policy', () => {
    const role = prop<{ 'Fn::GetAtt': [string] }>(synth.fn, 'Role')['Fn::GetAtt'][0];
    const [policyId, policy] = Object.entries(resources()).find(
      ([, r]) =>
        r.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r.Properties?.Roles) === JSON.stringify([{ Ref: role }]),
    ) as [string, Resource];
    const statements = prop<{ Statement: never[] }>(policy, 'PolicyDocument').Statement;
    expect(statements.flatMap(actionsOf)).toContain('sqs:SendMessage');
    expect(synth.fn.DependsOn).toContain(policyId);
  });
});

describe('the stage’s access logs', () => {
  it('go to their own log group, kept for a month', () => {
    const { DestinationArn } = accessLogSettings();
    const [logGroupId] = (DestinationArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'];
    expect(resources()[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
    });
  });

  it('are one JSON object per request: who, which route and connection, what happened, how long', () => {
    const line = JSON.parse(accessLogSettings().Format);
    expect(line).toEqual(ACCESS_LOG_FIELDS);
    expect(line).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      eventType: '$context.eventType',
      routeKey: '$context.routeKey',
      connectionId: '$context.connectionId',
      status: '$context.status',
      integrationError: '$context.integration.error',
      integrationLatency: '$context.integration.latency',
    });
  });

  it('hold no query string, header, path or body (a token may ride in the query string)', () => {
    const { Format } = accessLogSettings();
    const variables = [...Format.matchAll(/\$[\w.]+/g)].map((match) => match[0]);
    expect(variables.length).toBe(Object.keys(ACCESS_LOG_FIELDS).length);
    for (const variable of variables) {
      expect(variable).toMatch(/^\$context\./);
      expect(variable).not.toMatch(/querystring|header|useragent|domainname|path|body|apikey/i);
      // Of the caller's identity, only the address: the rest comes from headers or keys.
      if (variable.startsWith('$context.identity.')) {
        expect(variable).toBe('$context.identity.sourceIp');
      }
    }
  });

  it('can be written: the account’s API Gateway logs role is set before the stage, and kept', () => {
    const [accountId, account] = onlyOf(synth.template, 'AWS::ApiGateway::Account');
    const [roleId] = prop<{ 'Fn::GetAtt': [string] }>(account, 'CloudWatchRoleArn')['Fn::GetAtt'];
    const role = resources()[roleId] as Resource;
    expect(JSON.stringify(role.Properties?.AssumeRolePolicyDocument)).toContain(
      '"Service":"apigateway.amazonaws.com"',
    );
    expect(JSON.stringify(role.Properties?.ManagedPolicyArns)).toContain(
      ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    );
    // Deleting the account setting does not clear it: a deleted role would break every API's logs.
    expect(role.DeletionPolicy).toBe('Retain');
    expect(account.DeletionPolicy).toBe('Retain');
    expect(stage()[1].DependsOn).toContain(accountId);
  });
});

describe('auth secrets left unset', () => {
  it('give the function no auth setting, and no parameter to read but its site’s origins', () => {
    const ssm = allStatements(synth.template).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('ssm:')),
    );
    expect(ssm).toHaveLength(1);
    expect(ssm[0]).toMatchObject({ Action: 'ssm:GetParameter' });
    expect(JSON.stringify(ssm[0]?.Resource)).toMatch(
      /^\{"Fn::Join":\["",\[.*":parameter\/ServerlessChat-test\/site-origins"\]\]\}$/,
    );
    const env = prop<{ Variables: Record<string, unknown> }>(synth.fn, 'Environment').Variables;
    expect(Object.keys(env).filter((key) => key.startsWith('CONNECT_'))).toEqual([]);
  });
});

describe('cdk-nag’s AwsSolutions pack', () => {
  it('reports no error or warning that the stack does not acknowledge with a reason', () => {
    expect(unacknowledgedFindings(synth.stack)).toEqual([]);
  });
});
