import { describe, expect, it } from 'vitest';
import { unacknowledgedFindings } from './support/nag.js';
import { useSynth } from './support/synth.js';
import { actionsOf, allStatements, onlyOf, parameterArn } from './support/template.js';

/** Every setting away from its default: auth on (both kinds), no reservation, existing role. */
const CONTEXT = {
  stage: 'test',
  connectSecretParameter: '/chat/test/shared-secret',
  connectJwtSecretParameter: '/chat/test/jwt-key',
  jwtAudience: 'chat',
  jwtIssuer: 'https://id.example/',
  reservedConcurrency: 'none',
  apiLogsRole: 'existing',
};

const synth = useSynth({ context: CONTEXT });

describe('auth secrets in SSM Parameter Store', () => {
  it('reach the function as parameter names and plain claims, never as values', () => {
    const env = (synth.fn.Properties as { Environment: { Variables: Record<string, unknown> } })
      .Environment.Variables;
    expect(env).toMatchObject({
      CONNECT_SECRET_PARAMETER: '/chat/test/shared-secret',
      CONNECT_JWT_SECRET_PARAMETER: '/chat/test/jwt-key',
      CONNECT_JWT_AUDIENCE: 'chat',
      CONNECT_JWT_ISSUER: 'https://id.example/',
    });
    expect(env).not.toHaveProperty('CONNECT_SECRET');
    expect(env).not.toHaveProperty('CONNECT_JWT_SECRET');
  });

  it('may be read by the function, exactly those two parameters (and the site’s origins) and only with GetParameter', () => {
    const ssm = allStatements(synth.template).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('ssm:') || a.startsWith('kms:')),
    );
    const [statement, ...others] = ssm;
    expect(others).toEqual([]);
    expect(statement).toMatchObject({ Effect: 'Allow', Action: 'ssm:GetParameter' });
    const arns = (statement as { Resource: unknown[] }).Resource.map((arn) => JSON.stringify(arn));
    arns.sort();
    expect(arns).toEqual(
      [
        parameterArn('/ServerlessChat-test/site-origins'),
        parameterArn('/chat/test/shared-secret'),
        parameterArn('/chat/test/jwt-key'),
      ]
        .map((arn) => JSON.stringify(arn))
        .sort(),
    );
  });
});

describe('the alternatives to the defaults', () => {
  it('reserve no concurrency when told none (accounts whose quota is too small)', () => {
    expect(synth.fn.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
  });

  it('leave the account’s API Gateway logs role alone when told it exists, still logging', () => {
    expect(synth.template.findResources('AWS::ApiGateway::Account')).toEqual({});
    const [, stage] = onlyOf(synth.template, 'AWS::ApiGatewayV2::Stage');
    expect(stage.DependsOn).toBeUndefined();
    expect(stage.Properties?.AccessLogSettings).toBeDefined();
    const roles = Object.values(synth.template.findResources('AWS::IAM::Role'));
    expect(JSON.stringify(roles)).not.toContain('apigateway.amazonaws.com');
  });

  it('pass cdk-nag’s AwsSolutions pack too', () => {
    expect(unacknowledgedFindings(synth.stack)).toEqual([]);
  });
});
