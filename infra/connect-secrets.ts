import { ArnFormat, Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ConnectAuthSettings } from './auth-settings.js';

/**
 * The function's `$connect` auth environment: the SSM parameter NAMES it reads at cold start (the
 * pepper's too) and the plain JWT claims to require. Only what is set; never a secret's value.
 */
export const connectAuthEnvironment = (auth: ConnectAuthSettings): Record<string, string> => {
  const environment: Record<string, string> = {};
  if (auth.secretParameter) environment.CONNECT_SECRET_PARAMETER = auth.secretParameter;
  if (auth.jwtSecretParameter) environment.CONNECT_JWT_SECRET_PARAMETER = auth.jwtSecretParameter;
  if (auth.jwtAudience) environment.CONNECT_JWT_AUDIENCE = auth.jwtAudience;
  if (auth.jwtIssuer) environment.CONNECT_JWT_ISSUER = auth.jwtIssuer;
  if (auth.pepperParameter) environment.PEPPER_PARAMETER = auth.pepperParameter;
  return environment;
};

/** The ARN of a parameter in this stack's account and Region, from its `/full/path` name. */
export const parameterArn = (scope: Construct, name: string) =>
  Stack.of(scope).formatArn({
    service: 'ssm',
    resource: 'parameter',
    // A hierarchical name's leading "/" is the ARN's separator: `parameter/chat/prod/secret`.
    resourceName: name.slice(1),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });

/**
 * Lets the function read exactly these parameters (the site's origins and the configured
 * secrets and pepper), with `GetParameter` only. A SecureString under the default `aws/ssm` key needs no KMS
 * grant; under a customer managed key the function would also need `kms:Decrypt` on that key.
 */
export const grantParameterReads = (
  scope: Construct,
  grantee: IGrantable,
  names: (string | undefined)[],
) => {
  const readable = names.filter((name): name is string => name !== undefined);
  if (readable.length === 0) return;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: readable.map((name) => parameterArn(scope, name)),
    }),
  );
};
