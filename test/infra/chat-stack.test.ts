import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { STAGE_THROTTLE } from '../../infra/api.js';
import { TABLE_ACTIONS } from '../../infra/table-access.js';
import { ACTIONS as MESSAGE_ROUTES } from '../../src/protocol/routes.js';
import { tableDefinition } from '../../src/store/dynamo/table.js';
import { findResourceCycle } from './support/dependency-graph.js';
import { asText } from './support/intrinsics.js';
import { synthChat, useSynth } from './support/synth.js';
import {
  actionsOf,
  allFunctions,
  allStatements,
  applicationFunctions,
  onlyOf,
  parameterArn,
  type Resource,
} from './support/template.js';

const synth = useSynth({ context: { stage: 'test' } });
let apiId: string;

beforeAll(() => {
  [apiId] = onlyOf(synth.template, 'AWS::ApiGatewayV2::Api');
});

const resources = () => synth.template.toJSON().Resources as Record<string, Resource>;
const functionLogsId = () => {
  const config = synth.fn.Properties?.LoggingConfig as {
    LogGroup: { Ref: string };
  };
  return config.LogGroup.Ref;
};
const functionLogs = (): Resource => resources()[functionLogsId()] as Resource;

describe('the function', () => {
  it('is the only Lambda function in the stack', () => {
    expect(applicationFunctions(synth.stack)).toHaveLength(1);
    expect(allFunctions(synth.template)).toHaveLength(1);
    expect(synth.fn.Properties?.FunctionName).toBe('ServerlessChat-test-router');
  });

  it('runs the router on Node.js 24 on arm64 with JSON logs', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'ServerlessChat-test-router',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 28,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.anyValue() } },
    });
  });

  it('knows its table and its callback URL, and starts without --enable-source-maps', () => {
    const [tableId] = onlyOf(synth.template, 'AWS::DynamoDB::Table');
    const env = synth.template.toJSON().Resources[synth.fnId].Properties.Environment.Variables;
    expect(env.TABLE_NAME).toEqual({ Ref: tableId });
    // Source maps cost every cold start; the error boundary reads the map on an error instead.
    expect(env.NODE_OPTIONS).toBeUndefined();
    expect(env.CALLBACK_URL).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: apiId },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
          '/test',
        ],
      ],
    });
  });

  it('knows its stage: the `stage` dimension of every metric it writes', () => {
    const env = synth.template.toJSON().Resources[synth.fnId].Properties.Environment.Variables;
    expect(env.STAGE).toBe('test');
  });

  it('lets browsers connect only from the origins its site’s parameter names, without depending on the site', () => {
    const env = synth.template.toJSON().Resources[synth.fnId].Properties.Environment.Variables;
    expect(env.ALLOWED_ORIGINS_PARAMETER).toBe('/ServerlessChat-test/site-origins');
    expect(env.ALLOWED_ORIGINS).toBeUndefined();
  });

  it('also lets in the origins given with -c allowedOrigins', () => {
    const other = synthChat({
      context: { stage: 'test', allowedOrigins: 'https://chat.example.com,http://localhost:8080' },
    });
    const [fnId] = applicationFunctions(other.stack) as [string];
    const env = other.template.toJSON().Resources[fnId].Properties.Environment.Variables;
    expect(env.ALLOWED_ORIGINS).toBe('https://chat.example.com,http://localhost:8080');
    expect(env.ALLOWED_ORIGINS_PARAMETER).toBe('/ServerlessChat-test/site-origins');
    other.cleanup();
  });

  it('keeps its logs in its own log group for a month', () => {
    expect(functionLogs()).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
  });
});

describe('the WebSocket API', () => {
  it('selects routes by the body’s action', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
  });

  it('sends every route through one integration to the function', () => {
    const [integrationId, integration] = onlyOf(synth.template, 'AWS::ApiGatewayV2::Integration');
    expect(integration.Properties?.IntegrationType).toBe('AWS_PROXY');
    expect(JSON.stringify(integration.Properties?.IntegrationUri)).toContain(
      JSON.stringify({ 'Fn::GetAtt': [synth.fnId, 'Arn'] }),
    );
    const routes = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(
      ['$connect', '$default', '$disconnect', ...MESSAGE_ROUTES].sort(),
    );
    for (const route of routes) {
      expect(route.Properties.Target).toEqual({
        'Fn::Join': ['', ['integrations/', { Ref: integrationId }]],
      });
    }
  });

  it('lets API Gateway invoke the function for each route and nothing else', () => {
    const permissions = Object.values(synth.template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(3 + MESSAGE_ROUTES.length);
    for (const permission of permissions) {
      expect(permission.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [synth.fnId, 'Arn'] },
      });
    }
  });

  it('deploys a throttled stage automatically', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: apiId },
      StageName: 'test',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingBurstLimit: STAGE_THROTTLE.burstLimit,
        ThrottlingRateLimit: STAGE_THROTTLE.rateLimit,
      },
    });
  });
});

describe('the table', () => {
  it('uses the shared key and TTL definition, on demand, with point-in-time recovery', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: tableDefinition.partitionKey, AttributeType: 'S' },
        { AttributeName: tableDefinition.sortKey, AttributeType: 'S' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('is deleted with a throwaway stage, and so are the function’s logs', () => {
    const [, table] = onlyOf(synth.template, 'AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties?.DeletionProtectionEnabled).toBe(false);
    expect(functionLogs().DeletionPolicy).toBe('Delete');
  });
});

describe('permissions', () => {
  const functionStatements = () => {
    const policies = Object.values(synth.template.findResources('AWS::IAM::Policy'));
    const role = synth.template.toJSON().Resources[synth.fnId].Properties.Role['Fn::GetAtt'][0];
    const own = policies.filter(
      (p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: role }]),
    );
    return own.flatMap((p) => p.Properties.PolicyDocument.Statement);
  };

  it('lets the function post to and close only this API stage’s connections', () => {
    const manage = allStatements(synth.template).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('execute-api:')),
    );
    const connections = (method: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':execute-api:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':',
          { Ref: apiId },
          `/test/${method}/@connections/*`,
        ],
      ],
    });
    expect(manage).toEqual([
      {
        Effect: 'Allow',
        Action: 'execute-api:ManageConnections',
        // In CDK's order (it sorts a statement's resources).
        Resource: [connections('DELETE'), connections('POST')],
      },
    ]);
  });

  it('gives the function its table, logs, connections, itself, failed-replay queue and site origins, no more', () => {
    const [tableId] = onlyOf(synth.template, 'AWS::DynamoDB::Table');
    const [queueId] = onlyOf(synth.template, 'AWS::SQS::Queue');
    const statements = functionStatements();
    const byService = (prefix: string) =>
      statements.filter((s) => actionsOf(s).every((a) => a.startsWith(prefix)));
    expect(byService('dynamodb:')).toEqual([
      { Effect: 'Allow', Action: [...TABLE_ACTIONS], Resource: { 'Fn::GetAtt': [tableId, 'Arn'] } },
    ]);
    expect(byService('logs:')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [functionLogsId(), 'Arn'] },
      },
    ]);
    const invoke = byService('lambda:');
    expect(invoke.map((s) => s.Action)).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(invoke[0].Resource)).toMatch(/":function:ServerlessChat-test-router"/);
    expect(byService('sqs:').map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
    expect(actionsOf(byService('sqs:')[0])).toContain('sqs:SendMessage');
    expect(byService('ssm:')).toEqual([
      {
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: parameterArn('/ServerlessChat-test/site-origins'),
      },
    ]);
    expect(statements).toHaveLength(6);
  });

  it('attaches no AWS managed policy to the function’s role', () => {
    const role = synth.template.toJSON().Resources[synth.fnId].Properties.Role['Fn::GetAtt'][0];
    expect(resources()[role]?.Properties?.ManagedPolicyArns).toBeUndefined();
  });

  it('grants no wildcard action anywhere in the stack', () => {
    const allows = allStatements(synth.template).filter((s) => s.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(3);
    for (const action of allows.flatMap(actionsOf)) {
      expect(action).not.toBe('*');
      expect(action).not.toMatch(/^[a-z0-9-]+:\*$/);
    }
  });

  it('has no circular dependency between resources', () => {
    expect(findResourceCycle(resources())).toBeUndefined();
  });
});

describe('outputs', () => {
  it('give the WebSocket URL', () => {
    const outputs = synth.template.toJSON().Outputs;
    expect(asText(outputs.WebSocketUrl.Value)).toBe(
      `wss://{Ref:${apiId}}.execute-api.{Ref:AWS::Region}.{Ref:AWS::URLSuffix}/test`,
    );
  });
});
