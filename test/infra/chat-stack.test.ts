import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { STAGE_THROTTLE } from '../../infra/api.js';
import { TABLE_ACTIONS } from '../../infra/table-access.js';
import { pagePolicy } from '../../scripts/csp.js';
import { ACTIONS as MESSAGE_ROUTES } from '../../src/protocol/routes.js';
import { tableDefinition } from '../../src/store/table.js';
import { findResourceCycle } from './support/dependency-graph.js';
import { asText } from './support/intrinsics.js';
import { useSynth } from './support/synth.js';
import {
  actionsOf,
  allFunctions,
  allStatements,
  applicationFunctions,
  onlyOf,
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
  it('is the only application function among the Lambda functions in the stack', () => {
    expect(applicationFunctions(synth.stack)).toHaveLength(1);
    // BucketDeployment's handler and the bucket's auto-delete provider are CDK's own.
    expect(allFunctions(synth.template).length).toBeGreaterThan(1);
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

  it('knows its table, its callback URL and to use source maps', () => {
    const [tableId] = onlyOf(synth.template, 'AWS::DynamoDB::Table');
    const env = synth.template.toJSON().Resources[synth.fnId].Properties.Environment.Variables;
    expect(env.TABLE_NAME).toEqual({ Ref: tableId });
    expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
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

  it('lets browsers connect only from its own CloudFront site', () => {
    const [distributionId] = onlyOf(synth.template, 'AWS::CloudFront::Distribution');
    const env = synth.template.toJSON().Resources[synth.fnId].Properties.Environment.Variables;
    expect(env.ALLOWED_ORIGINS).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
    });
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

  it('sends all five routes through one integration to the function', () => {
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
    expect(permissions).toHaveLength(5);
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

  it('lets the function post only to this API stage’s connections', () => {
    const manage = allStatements(synth.template).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('execute-api:')),
    );
    expect(manage).toEqual([
      {
        Effect: 'Allow',
        Action: 'execute-api:ManageConnections',
        Resource: {
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
              '/test/POST/@connections/*',
            ],
          ],
        },
      },
    ]);
  });

  it('gives the function its table, logs, connections, itself and failed-replay queue, no more', () => {
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
    expect(statements).toHaveLength(5);
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

describe('the client site', () => {
  it('keeps the bucket private and HTTPS-only', () => {
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    const denyInsecure = allStatements(synth.template).find(
      (s) =>
        s.Effect === 'Deny' &&
        JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}',
    );
    expect(denyInsecure).toBeDefined();
  });

  it('serves client.html through CloudFront’s origin access control, redirecting to HTTPS', () => {
    const [oacId] = onlyOf(synth.template, 'AWS::CloudFront::OriginAccessControl');
    const [distributionId, distribution] = onlyOf(synth.template, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties?.DistributionConfig as {
      DefaultRootObject: string;
      DefaultCacheBehavior: { ViewerProtocolPolicy: string };
      Origins: {
        OriginAccessControlId: unknown;
        S3OriginConfig: { OriginAccessIdentity: string };
      }[];
    };
    expect(config.DefaultRootObject).toBe('client.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Origins).toEqual([
      expect.objectContaining({
        OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      }),
    ]);
    const cloudFrontRead = allStatements(synth.template).filter(
      (s) => JSON.stringify(s.Principal) === '{"Service":"cloudfront.amazonaws.com"}',
    );
    expect(cloudFrontRead).toHaveLength(1);
    expect(cloudFrontRead[0]?.Action).toBe('s3:GetObject');
    expect(JSON.stringify(cloudFrontRead[0]?.Condition)).toContain(`{"Ref":"${distributionId}"}`);
  });

  /** A deployed file's text, with its deploy-time markers replaced by the values they stand for. */
  const deployedFile = (index: number, name: string) => {
    const [, deployment] = onlyOf(synth.template, 'Custom::CDKBucketDeployment');
    const props = deployment.Properties as {
      SourceObjectKeys: string[];
      SourceMarkers: Record<string, unknown>[];
    };
    const key = props.SourceObjectKeys[index] ?? '';
    const dir = join(synth.outdir, `asset.${key.replace(/\.zip$/, '')}`);
    expect(readdirSync(dir)).toEqual([name]);
    const markers = props.SourceMarkers[index] ?? {};
    return readFileSync(join(dir, name), 'utf8').replace(/<<marker:0xbaba:\d+>>/g, (marker) =>
      asText(markers[marker]),
    );
  };
  const apiOrigin = () => `wss://{Ref:${apiId}}.execute-api.{Ref:AWS::Region}.{Ref:AWS::URLSuffix}`;

  it('deploys client.html and a config.json holding the stage’s WebSocket URL', () => {
    const [, deployment] = onlyOf(synth.template, 'Custom::CDKBucketDeployment');
    expect(deployment.Properties?.DistributionPaths).toEqual(['/*']);
    expect(deployedFile(0, 'client.html')).toContain('<title>Chat</title>');
    const config = JSON.parse(deployedFile(1, 'config.json'));
    expect(config.webSocketUrl).toBe(`${apiOrigin()}/test`);
  });

  it('lets the deployed page open sockets only to its own site and this stage’s API', () => {
    const [, policy] = onlyOf(synth.template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const config = (policy.Properties?.ResponseHeadersPolicyConfig ?? {}) as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    };
    const headers = config.SecurityHeadersConfig;
    const csp = asText(headers.ContentSecurityPolicy?.ContentSecurityPolicy).split('; ');
    expect(csp).toEqual([
      `connect-src 'self' ${apiOrigin()}`,
      "frame-ancestors 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "object-src 'none'",
    ]);
    expect(headers.ContentSecurityPolicy?.Override).toBe(true);
    expect(headers.FrameOptions).toEqual({ FrameOption: 'SAMEORIGIN', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31_536_000 });

    // The page's own meta policy must allow the same, and no more: a browser enforces both.
    const meta = pagePolicy(deployedFile(0, 'client.html')).split(/;\s*/);
    expect(meta.filter((d) => d.startsWith('connect-src'))).toEqual([
      `connect-src 'self' ${apiOrigin()}`,
    ]);
    const [policyId] = onlyOf(synth.template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const [, distribution] = onlyOf(synth.template, 'AWS::CloudFront::Distribution');
    expect(distribution.Properties?.DistributionConfig).toMatchObject({
      DefaultCacheBehavior: { ResponseHeadersPolicyId: { Ref: policyId } },
    });
  });
});

describe('outputs', () => {
  it('give the WebSocket URL and the client URL', () => {
    const outputs = synth.template.toJSON().Outputs;
    expect(JSON.stringify(outputs.WebSocketUrl.Value)).toMatch(/^\{"Fn::Join":\["",\["wss:\/\//);
    const [distributionId] = onlyOf(synth.template, 'AWS::CloudFront::Distribution');
    expect(outputs.ClientUrl.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']],
    });
  });
});
