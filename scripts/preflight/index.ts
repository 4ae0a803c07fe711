import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { STSClient } from '@aws-sdk/client-sts';
import { contextArguments } from '../../infra/deploy-plan.js';
import { resolveSettings } from '../../infra/settings.js';
import { checkAccount, noRegion, resolveRegion } from './account.js';
import { checkApiLogsRole } from './api-logs.js';
import { checkCloudFront } from './cloudfront.js';
import { checkConcurrency } from './concurrency.js';
import type { Finding } from './finding.js';
import { deployWith } from './fix-command.js';

/** The flag that skips the preflight; `npm run deploy` keeps it from cdk. */
export const NO_PREFLIGHT = '--no-preflight';

/** Whether the user skipped the preflight: `--no-preflight` or `-c preflight=off`. */
export const preflightSkipped = (args: readonly string[]) =>
  args.includes(NO_PREFLIGHT) || contextArguments(args).preflight === 'off';

/** The `--profile NAME` (`--profile=NAME`) cdk is given, which the checks must use too. */
const profileArgument = (args: readonly string[]) => {
  const at = args.indexOf('--profile');
  return at >= 0 ? args[at + 1] : args.find((arg) => arg.startsWith('--profile='))?.slice(10);
};

/**
 * Credentials chosen as cdk chooses them: a `--profile`'s alone; else keys in the environment
 * before `AWS_PROFILE` (where the SDK on its own would take the profile's).
 */
const clientCredentials = (profile: string | undefined, env: NodeJS.ProcessEnv) => {
  if (profile !== undefined) return { profile };
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (!accessKeyId || !secretAccessKey) return {};
  const sessionToken = env.AWS_SESSION_TOKEN;
  return {
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
  };
};

/**
 * Checks, read-only and before CloudFormation is touched, what would make `npm run deploy` fail
 * or surprise: who and where it deploys, the Lambda concurrency quota against the reservation,
 * API Gateway's logs role, and CloudFront's verification of a new account. The SDK clients are
 * configured as cdk's are (the same profile and Region; endpoints from `AWS_ENDPOINT_URL_*`).
 */
export const preflight = async (
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Finding[]> => {
  const context = contextArguments(args);
  const settings = resolveSettings({ context: (key) => context[key], env });
  const profileArg = profileArgument(args);
  const profile = profileArg ?? env.AWS_PROFILE ?? 'default';
  const config = clientCredentials(profileArg, env);
  const where = await resolveRegion(env, profile, () => new STSClient(config).config.region());
  if (where === undefined) return [noRegion(profile)];
  const { region } = where;
  const sts = new STSClient({ ...config, region });
  const lambda = new LambdaClient({ ...config, region });
  const apiGateway = new APIGatewayClient({ ...config, region });
  const cloudFront = new CloudFrontClient({ ...config, region });
  try {
    const findings: Finding[] = [
      await checkAccount(sts, profile),
      { level: 'ok', text: `Region ${region} (from ${where.source})` },
    ];
    if (findings[0]?.level === 'stop') return findings;
    const fix = (key: string, value: string) => deployWith(args, key, value);
    findings.push(
      ...(await Promise.all([
        checkConcurrency(lambda, settings.functionName, {
          planned: settings.reservedConcurrency,
          region,
          deployWith: fix,
        }),
        checkApiLogsRole(apiGateway, {
          mode: settings.apiLogsRole,
          stackName: settings.stackName,
          deployWith: fix,
        }),
        checkCloudFront(cloudFront, {
          site: settings.siteStackName !== undefined,
          deployWith: fix,
        }),
      ])),
    );
    return findings;
  } finally {
    for (const client of [sts, lambda, apiGateway, cloudFront]) client.destroy();
  }
};

const MARKS = { ok: '✓', warn: '!', stop: '✗' } as const;

/** The findings as the deploy prints them, continuation lines indented under their mark. */
export const preflightReport = (findings: readonly Finding[]) =>
  [
    `Preflight (skip it with ${NO_PREFLIGHT}):`,
    ...findings.map(({ level, text }) => `  ${MARKS[level]} ${text.replaceAll('\n', '\n      ')}`),
    ...(findings.some((finding) => finding.level === 'stop')
      ? ['Stopped before CloudFormation was touched: nothing was deployed or changed.']
      : []),
  ].join('\n');

/** Whether a finding stops the deploy. */
export const preflightStops = (findings: readonly Finding[]) =>
  findings.some((finding) => finding.level === 'stop');
