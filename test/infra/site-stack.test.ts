import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pagePolicy } from '../../scripts/csp.js';
import { asText } from './support/intrinsics.js';
import { unacknowledgedFindings } from './support/nag.js';
import { type Synthesized, useSynth } from './support/synth.js';
import { allFunctions, allStatements, onlyOf, type Resource } from './support/template.js';

const synth = useSynth({ context: { stage: 'test' } });
const site = () => synth.site as NonNullable<Synthesized['site']>;
const resources = () => site().template.toJSON().Resources as Record<string, Resource>;

/** The chat stack's API id, as the site's template reads it: a reference to the chat stack's output. */
const apiIdOutput = () => {
  const outputs = synth.template.toJSON().Outputs as Record<string, { Value: unknown }>;
  const [apiId] = onlyOf(synth.template, 'AWS::ApiGatewayV2::Api');
  const [name] = Object.entries(outputs).find(
    ([, output]) => JSON.stringify(output.Value) === JSON.stringify({ Ref: apiId }),
  ) as [string, unknown];
  return {
    'Fn::GetStackOutput': {
      StackName: 'ServerlessChat-test',
      Region: { Ref: 'AWS::Region' },
      OutputName: name,
    },
  };
};

describe('the site’s stack', () => {
  it('is a stack of its own, deployed after the chat API’s, whose URL it reads from that stack’s outputs', () => {
    expect(site().stack.stackName).toBe('ServerlessChat-test-site');
    expect(site().stack.dependencies.map((stack) => stack.stackName)).toEqual([
      'ServerlessChat-test',
    ]);
    expect(JSON.stringify(site().template.toJSON())).toContain(
      JSON.stringify(apiIdOutput()['Fn::GetStackOutput']),
    );
    expect(JSON.stringify(site().template.toJSON())).not.toContain('Fn::ImportValue');
  });

  it('tells the chat function its origin through the parameter the function reads', () => {
    const [, parameter] = onlyOf(site().template, 'AWS::SSM::Parameter');
    const [distributionId] = onlyOf(site().template, 'AWS::CloudFront::Distribution');
    expect(parameter.Properties).toMatchObject({
      Name: '/ServerlessChat-test/site-origins',
      Type: 'String',
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] },
    });
  });

  it('gives the client URL', () => {
    const [distributionId] = onlyOf(site().template, 'AWS::CloudFront::Distribution');
    expect(site().template.toJSON().Outputs.ClientUrl.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']],
    });
  });

  it('passes cdk-nag’s AwsSolutions pack', () => {
    expect(unacknowledgedFindings(site().stack)).toEqual([]);
  });
});

describe('a redeploy of the site', () => {
  it('waits for no CloudFront invalidation: the files are served no-cache and edges keep them 1 s', () => {
    const [, deployment] = onlyOf(site().template, 'Custom::CDKBucketDeployment');
    expect(deployment.Properties?.DistributionId).toBeUndefined();
    expect(deployment.Properties?.DistributionPaths).toBeUndefined();
    expect(deployment.Properties?.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    const [, distribution] = onlyOf(site().template, 'AWS::CloudFront::Distribution');
    // CloudFront's managed CachingOptimized policy: minimum TTL 1 s, which a `no-cache` file
    // is kept for (CachePolicyConfig, "Important"); the default TTL applies to no file here.
    expect(distribution.Properties?.DistributionConfig).toMatchObject({
      DefaultCacheBehavior: { CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
    });
  });
});

describe('destroying the site', () => {
  it('leaves nothing behind: the deployment empties the bucket, and its log group goes too', () => {
    const [, deployment] = onlyOf(site().template, 'Custom::CDKBucketDeployment');
    expect(deployment.Properties?.RetainOnDelete).toBe(false);
    expect(site().template.findResources('Custom::S3AutoDeleteObjects')).toEqual({});
    const [, bucket] = onlyOf(site().template, 'AWS::S3::Bucket');
    expect(bucket.DeletionPolicy).toBe('Delete');
    for (const [id, resource] of Object.entries(resources())) {
      if (resource.Type === 'AWS::Logs::LogGroup')
        expect([id, resource.DeletionPolicy]).toEqual([id, 'Delete']);
    }
    // Every function logs to a log group of the stack, which it depends on, so the group is
    // deleted after the function's last invocation (the deployment's delete) and not re-created.
    const [handler] = allFunctions(site().template) as [string];
    expect(allFunctions(site().template)).toHaveLength(1);
    const logging = resources()[handler]?.Properties?.LoggingConfig as {
      LogGroup: { Ref: string };
    };
    expect(resources()[logging.LogGroup.Ref]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      DeletionPolicy: 'Delete',
      Properties: { RetentionInDays: 7 },
    });
  });
});

describe('the client site', () => {
  it('keeps the bucket private and HTTPS-only', () => {
    site().template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    const denyInsecure = allStatements(site().template).find(
      (s) =>
        s.Effect === 'Deny' &&
        JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}',
    );
    expect(denyInsecure).toBeDefined();
  });

  it('serves client.html through CloudFront’s origin access control, redirecting to HTTPS', () => {
    const [oacId] = onlyOf(site().template, 'AWS::CloudFront::OriginAccessControl');
    const [distributionId, distribution] = onlyOf(site().template, 'AWS::CloudFront::Distribution');
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
    const cloudFrontRead = allStatements(site().template).filter(
      (s) => JSON.stringify(s.Principal) === '{"Service":"cloudfront.amazonaws.com"}',
    );
    expect(cloudFrontRead).toHaveLength(1);
    expect(cloudFrontRead[0]?.Action).toBe('s3:GetObject');
    expect(JSON.stringify(cloudFrontRead[0]?.Condition)).toContain(`{"Ref":"${distributionId}"}`);
  });

  /** A deployed file's text, with its deploy-time markers replaced by the values they stand for. */
  const deployedFile = (index: number, name: string) => {
    const [, deployment] = onlyOf(site().template, 'Custom::CDKBucketDeployment');
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
  /** The API's origin as the site reads it: the chat stack's output, resolved at deploy time. */
  const apiOrigin = () =>
    `wss://${asText(apiIdOutput())}.execute-api.{Ref:AWS::Region}.{Ref:AWS::URLSuffix}`;

  it('deploys client.html and a config.json holding the stage’s WebSocket URL', () => {
    expect(deployedFile(0, 'client.html')).toContain('<title>Chat</title>');
    const config = JSON.parse(deployedFile(1, 'config.json'));
    expect(config.webSocketUrl).toBe(`${apiOrigin()}/test`);
  });

  it('lets the deployed page open sockets only to its own site and this stage’s API', () => {
    const [, policy] = onlyOf(site().template, 'AWS::CloudFront::ResponseHeadersPolicy');
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
    const [policyId] = onlyOf(site().template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const [, distribution] = onlyOf(site().template, 'AWS::CloudFront::Distribution');
    expect(distribution.Properties?.DistributionConfig).toMatchObject({
      DefaultCacheBehavior: { ResponseHeadersPolicyId: { Ref: policyId } },
    });
  });
});
